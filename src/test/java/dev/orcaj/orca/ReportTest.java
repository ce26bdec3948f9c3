package dev.orcaj.orca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report directory: metrics.json carries what was measured; report.html is self-contained with the charts. */
class ReportTest {
    @TempDir Path tmp;

    @Test
    void writesJsonAndSelfContainedHtml() throws Exception {
        ArrayDataset d = new ArrayDataset(new float[8], new int[] {1, 4}, new Targets.ClassLabels(new int[] {0, 1}, 2));
        TaskSpec spec = new TaskSpec("toy", new int[] {1, 4}, TaskSpec.OutputKind.CLASSES, 2);
        var task = new TaskLoader.LoadedTask(spec, d, d, d, false, "npy:x.npy,y.npy");
        List<Report.Entry> entries = new ArrayList<>();
        for (String m : List.of("orca", "finetune")) {
            for (long seed = 0; seed < 2; seed++) {
                var epochs = List.of(new RefineStage.EpochLog(1, 0.9, Map.of("accuracy", 0.5), 1.0), new RefineStage.EpochLog(2, 0.7, Map.of("accuracy", 0.75), 1.0));
                var refine = new RefineStage.Result(epochs, 2, Map.of("accuracy", 0.75), Map.of("accuracy", 0.6 + seed * 0.1), 2.0,
                        "accuracy", ModelSelection.Reported.BEST, Map.of("accuracy", 0.6 + seed * 0.1), Map.of("accuracy", 0.5));
                var align = m.equals("orca") ? new AlignStage.Result(new double[] {3, Double.NaN, 2, 1.5}, 3, 1.5, 3, 0.5) : null;
                entries.add(new Report.Entry(m, seed, new OrcaRun.Outcome(OrcaRun.Method.parse(m), align, refine, 1, 4, 1000)));
            }
        }
        Report.write(tmp, task, entries, Map.of("lr", 1e-4));
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("metrics.json").toFile());
        assertEquals("toy", j.at("/task/name").asText());
        assertEquals(4, j.path("runs").size());
        assertEquals(0.7, j.at("/runs/1/test/accuracy").asDouble(), 1e-12);
        assertEquals(1.5, j.at("/runs/0/alignment/after").asDouble(), 1e-12);
        assertTrue(j.at("/runs/0/alignment/curve/1").isNull(), "a gradient-only stage-2 epoch has no distance: null");
        assertEquals(2.0, j.at("/runs/0/alignment/curve/2").asDouble(), 1e-12);
        assertTrue(j.at("/runs/2/alignment").isMissingNode(), "baselines have no alignment stage");
        String html = Files.readString(tmp.resolve("report.html"));
        assertEquals(4, html.split("<svg", -1).length - 1, "loss, validation, alignment and time charts");
        assertTrue(html.contains("<table>") && html.contains("</table>"), "a results table");
        String table = html.substring(html.indexOf("<table>"), html.indexOf("</table>"));
        assertEquals(1 + entries.size(), table.split("<tr>", -1).length - 1, "a header row and one row per run");
        for (String method : List.of("orca", "finetune")) {
            assertTrue(table.contains("<td style=\"text-align:left\">" + method + "</td>"), "a row names method " + method);
        }
        assertTrue(table.contains("<th>test accuracy</th>") && table.contains("<td>0.7000</td>"), "test metric column with the seed-1 value");
        String withoutSvgNamespace = html.replace("http://www.w3.org/2000/svg", "");
        assertTrue(!withoutSvgNamespace.contains("http://") && !withoutSvgNamespace.contains("https://"), "no links other than the SVG namespace");
        assertTrue(!html.contains("<script") && !html.contains("src=\""), "no scripts or external resources");
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("metrics.json", "report.html"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temp files left behind");
        }
        if (Boolean.getBoolean("orcaj.keepReport")) Files.copy(tmp.resolve("report.html"), Path.of("/tmp/toy-report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static List<Report.Entry> runs(String metric, double[] valPerEpoch, Map<String, Double> test, ReportPredictions predictions, String... methods) {
        List<Report.Entry> entries = new ArrayList<>();
        for (String m : methods) {
            List<RefineStage.EpochLog> epochs = new ArrayList<>();
            for (int e = 0; e < valPerEpoch.length; e++) epochs.add(new RefineStage.EpochLog(e + 1, 2.0 / (e + 1), Map.of(metric, valPerEpoch[e]), 1.0));
            var refine = new RefineStage.Result(epochs, valPerEpoch.length, Map.of(metric, valPerEpoch[valPerEpoch.length - 1]), test, 2.0, metric,
                    ModelSelection.Reported.BEST, test, test);
            entries.add(new Report.Entry(m, 0, new OrcaRun.Outcome(OrcaRun.Method.parse(m), null, refine, 1, 4, 1000), predictions));
        }
        return entries;
    }

    /** A dense 1D task whose reference baselines are fitted by {@link dev.orcaj.orca.baselines.Reference#compute}. */
    @Test
    void referenceBaselinesStandBesideTheMethodsInJsonTableChartAndComparison() throws Exception {
        var task = TaskLoader.load("pde:advection:16:40", 0.2, 0);
        var reference = dev.orcaj.orca.baselines.Reference.compute(task.spec(), task.train(), task.val(), task.test(), ModelSelection.defaults(task.spec(), false), 0);
        double trivialTest = reference.trivial().test().get("relative_l2"), linearTest = reference.linear().test().get("relative_l2");
        // a method between the two baselines: beats the trivial predictor, not the (near-exact) linear one
        double between = (trivialTest + linearTest) / 2;
        var entries = runs("relative_l2", new double[] {0.9, 0.7}, Map.of("relative_l2", between, "nrmse", between, "mse", 0.1), null, "orca");
        Report.write(tmp, task, entries, Map.of("lr", 1e-4), reference, Map.of());
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("metrics.json").toFile());
        assertEquals(trivialTest, j.at("/reference/trivial/test/relative_l2").asDouble(), 1e-12);
        assertEquals("training-mean field", j.at("/reference/trivial/model").asText());
        assertEquals(reference.linear().lambda(), j.at("/reference/linear/lambda").asDouble(), 0);
        assertEquals(8, j.at("/reference/linear/lambda_search").size(), "the validation search over the L2 grid");
        assertTrue(j.at("/reference/linear/lambda_search/0/validation_relative_l2").isNumber(), "search points carry the metric as read");
        String html = Files.readString(tmp.resolve("report.html"));
        String table = html.substring(html.indexOf("<table>"), html.indexOf("</table>"));
        assertTrue(table.contains("trivial: training-mean field") && table.contains("linear: ridge regression, L2 "), "a row per reference baseline");
        assertTrue(table.contains("<td>" + Report.fmt(linearTest) + "</td>"), "the linear model's test score in the metric column");
        assertTrue(!table.contains("neg_"), "no internal sign-flipped metric columns");
        String validationChart = html.split("<svg")[2];
        assertEquals(2, validationChart.split("stroke-width=\"1.5\" stroke-dasharray=\"4,4\"", -1).length - 1, "trivial and linear drawn as levels on the validation chart");
        List<String> lines = Report.comparison(entries, reference);
        assertTrue(lines.get(1).contains("beats trivial, NOT linear"), "the comparison says what is true: " + lines);
        assertTrue(lines.get(2).startsWith("  trivial") && lines.get(3).startsWith("  linear"), "then the baselines' own scores: " + lines);
        assertTrue(html.contains("beats trivial, NOT linear"), "the page repeats the comparison");
        if (Boolean.getBoolean("orcaj.keepReport")) Files.copy(tmp.resolve("report.html"), Path.of("/tmp/reference-report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void picturesOfTestPredictionsPerFamily() throws Exception {
        // dense 2D: heat maps of the true and predicted fields
        var darcy = TaskLoader.load("pde:darcy:8:30", 0.2, 0);
        float[] out = new float[3 * 64];
        var entries = runs("relative_l2", new double[] {0.5}, Map.of("relative_l2", 0.4), new ReportPredictions(new int[] {0, 1, 2}, out), "orca", "finetune");
        String html = ReportHtml.render(darcy, entries, Map.of(), null);
        assertEquals(3 * (1 + 2) * 64, html.substring(html.indexOf("<h2>Test predictions</h2>")).split("<rect x=\"[0-9]+\" y=\"[0-9]+\" width=\"[0-9]+\" height=\"[0-9]+\" fill=\"#", -1).length - 1,
                "3 test fields x (true + 2 methods) x 8x8 cells");
        // dense 1D: curves, true plus one per method
        var adv = TaskLoader.load("pde:advection:16:20", 0.2, 0);
        html = ReportHtml.render(adv, runs("relative_l2", new double[] {0.5}, Map.of("relative_l2", 0.4), new ReportPredictions(new int[] {0, 1}, new float[32]), "orca"), Map.of(), null);
        assertTrue(html.contains("Test field 1") && html.contains(">true</text>"), "a curve chart per drawn test field");
        // classes: a confusion matrix whose counts add up to the drawn rows
        ArrayDataset d = new ArrayDataset(new float[12], new int[] {1, 3}, new Targets.ClassLabels(new int[] {0, 1, 1, 0}, 2), List.of("no", "<yes>"));
        var cls = new TaskLoader.LoadedTask(new TaskSpec("c", new int[] {1, 3}, TaskSpec.OutputKind.CLASSES, 2), d, d, d, false, "x");
        float[] logits = {1, 0, 0, 1, 1, 0, 1, 0}; // predicted 0, 1, 0, 0 for true 0, 1, 1, 0
        html = ReportHtml.render(cls, runs("accuracy", new double[] {0.5}, Map.of("accuracy", 0.75), new ReportPredictions(new int[] {0, 1, 2, 3}, logits), "orca"), Map.of(), null);
        String cm = html.substring(html.indexOf("<table class=\"cm\">"));
        cm = cm.substring(0, cm.indexOf("</table>"));
        assertTrue(cm.contains("&lt;yes&gt;") && !cm.contains("<yes>"), "class names are escaped");
        List<String> counts = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("<td style=\"background:[^\"]*\">(\\d+)</td>").matcher(cm);
        while (m.find()) counts.add(m.group(1));
        assertEquals(List.of("2", "0", "1", "1"), counts, "rows true class, columns predicted");
        // regression: a scatter with one point per drawn row
        ArrayDataset r = new ArrayDataset(new float[9], new int[] {1, 3}, new Targets.VectorTargets(new float[] {1, 2, 3}, 1));
        var reg = new TaskLoader.LoadedTask(new TaskSpec("r", new int[] {1, 3}, TaskSpec.OutputKind.REGRESSION, 1), r, r, r, false, "x");
        html = ReportHtml.render(reg, runs("r2", new double[] {0.5}, Map.of("r2", 0.9), new ReportPredictions(new int[] {0, 1, 2}, new float[] {1.1f, 2, 2.5f}), "orca"), Map.of(), null);
        // (the one-epoch curves of the loss and validation charts are dots too, r 2.5)
        assertEquals(3, html.split("r=\"2\" fill=", -1).length - 1);
    }

    @Test
    void settingsAreShownAndEveryStringFromDataIsEscaped() throws Exception {
        ArrayDataset d = new ArrayDataset(new float[8], new int[] {1, 4}, new Targets.ClassLabels(new int[] {0, 1}, 2));
        var task = new TaskLoader.LoadedTask(new TaskSpec("t<b>", new int[] {1, 4}, TaskSpec.OutputKind.CLASSES, 2), d, d, d, false, "npy:\"x\".npy");
        String html = ReportHtml.render(task, runs("accuracy", new double[] {0.5}, Map.of("accuracy", 0.5), null, "orca"), Map.of("data", "<script>alert(1)</script>", "lr", 1e-4), null);
        assertTrue(html.contains("<h2>Settings</h2>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && html.contains(">lr</th>"));
        assertTrue(!html.contains("<script") && !html.contains("t<b>") && !html.contains("\"x\""), "nothing from data reaches the page unescaped");
    }

    /** The old charts drew the highest curve on the frame's top edge and the wall-time legend on the x-axis label. */
    @Test
    void curvesStayInsideTheFrameAndLegendsClearTheAxisLabel() {
        var series = List.of(new Svg.Series("finetune", new double[] {5, 1, 0.5}, 1, "#000", ""), new Svg.Series("orca", new double[] {0.9, 0.4, 0.2}, 1, "#111", ""));
        String svg = Svg.lines(series, List.of(new Svg.Level("linear", 0.1, "#222", "4,4")), "epoch", "loss");
        var points = java.util.regex.Pattern.compile("points=\"([^\"]*)\"").matcher(svg);
        while (points.find()) {
            for (String xy : points.group(1).trim().split(" ")) {
                double y = Double.parseDouble(xy.split(",")[1]);
                assertTrue(y > 10 + 5 && y < 220 - 5, "point " + xy + " is inside the plot area, off its edges");
            }
        }
        var levelY = java.util.regex.Pattern.compile("<line x1=\"60\" y1=\"([0-9.]+)\" x2=\"450\"").matcher(svg);
        assertTrue(levelY.find() && Double.parseDouble(levelY.group(1)) < 220, "the level is drawn inside too");
        String bars = Svg.stackedBars(runs("accuracy", new double[] {0.5}, Map.of("accuracy", 0.5), null, "orca"));
        double axisLabelY = Double.parseDouble(bars.replaceAll("(?s).*<text x=\"[0-9]+\" y=\"([0-9.]+)\" font-size=\"11\" text-anchor=\"middle\">run</text>.*", "$1"));
        double legendY = Double.parseDouble(bars.replaceAll("(?s).*<text x=\"[0-9]+\" y=\"([0-9.]+)\" font-size=\"10\">stage 3 refine</text>.*", "$1"));
        assertTrue(legendY - axisLabelY >= 11, "legend baseline " + legendY + " a line below the axis label's " + axisLabelY);
    }
}
