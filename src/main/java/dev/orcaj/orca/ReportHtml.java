package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Splits;
import dev.orcaj.orca.baselines.Reference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.orcaj.orca.Html.esc;
import static dev.orcaj.orca.Html.figure;

/** Renders the self-contained HTML page of a {@link Report}: inline SVG charts and tables, no scripts, no network. */
final class ReportHtml {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final String[] DASHES = {"", "6,3", "2,3", "8,3,2,3"};
    private static final String TRIVIAL_COLOR = "#7f7f7f", LINEAR_COLOR = "#000000";
    /** Larger fields are drawn at every s-th point so a heat map stays at most this many cells a side. */
    private static final int MAX_HEAT_SIDE = 48;
    /** Confusion matrices of more classes stay in the data only. */
    private static final int MAX_CONFUSION_CLASSES = 30;

    private ReportHtml() {}

    static String render(TaskLoader.LoadedTask task, List<Report.Entry> entries, Map<String, Object> settings, Reference reference) {
        StringBuilder h = new StringBuilder();
        h.append(Html.head("ORCA-J report: " + task.spec().name()));
        h.append("<p>Data: <code>").append(esc(task.description())).append("</code>; input ").append(esc(java.util.Arrays.toString(task.spec().inputShape())))
                .append(", ").append(task.spec().kind().name().toLowerCase(Locale.ROOT)).append(" (").append(task.spec().outputs()).append(")")
                .append("; train/validation/test = ").append(task.train().size()).append("/").append(task.val().size()).append("/").append(task.test().size())
                .append(". Model selection on the validation split; test metrics of the selected epoch. Reference baselines (italic rows) are fitted on the"
                        + " training split: the trivial predictor ignores the input, the linear model's L2 strength is chosen on the validation split.</p>");
        h.append(table(entries, reference, task.train().size()));
        h.append("<pre>").append(esc(String.join("\n", Report.comparison(entries, reference)))).append("</pre>");
        h.append("<div class=\"charts\">");
        List<Svg.Series> loss = new ArrayList<>(), vals = new ArrayList<>(), align = new ArrayList<>();
        String valName = "";
        List<String> methods = methods(entries);
        List<Long> seeds = entries.stream().map(Report.Entry::seed).distinct().toList();
        for (Report.Entry e : entries) {
            // colour = method, dash pattern = seed, so runs of one method read as one family
            String color = color(methods, e.method()), dash = DASHES[seeds.indexOf(e.seed()) % DASHES.length];
            String label = e.method() + " (seed " + e.seed() + ")";
            List<RefineStage.EpochLog> logs = e.outcome().refine().epochs();
            double[] l = new double[logs.size()], v = new double[logs.size()];
            for (int k = 0; k < logs.size(); k++) {
                l[k] = logs.get(k).trainLoss();
                Map<String, Double> val = logs.get(k).validation();
                String selected = e.outcome().refine().selectMetric();
                String key = selected != null && val.containsKey(selected) ? selected : val.keySet().iterator().next(); // the selection metric
                valName = key;
                v[k] = val.get(key);
            }
            loss.add(new Svg.Series(label, l, 1, color, dash));
            vals.add(new Svg.Series(label, v, 1, color, dash));
            if (e.outcome().align() != null) align.add(new Svg.Series(label, e.outcome().align().curve(), 0, color, dash));
        }
        List<Svg.Level> levels = new ArrayList<>();
        if (reference != null) {
            for (Reference.Baseline b : reference.all()) {
                Double v = b.validation().get(valName);
                if (v != null) levels.add(new Svg.Level(b.name() + " (" + b.model() + ")", v, b.name().equals("linear") ? LINEAR_COLOR : TRIVIAL_COLOR, "4,4"));
            }
        }
        h.append(figure("Training loss per epoch (stage 3)", Svg.lines(loss, "epoch", "loss")));
        h.append(figure("Validation " + valName + " per epoch; dashed: reference baselines on the validation split", Svg.lines(vals, levels, "epoch", valName)));
        if (!align.isEmpty()) h.append(figure("Stage-2 distance to the source proxy per embedder epoch", Svg.lines(align, "embedder epoch", "distance")));
        h.append(figure("Wall time per stage (seconds)", Svg.stackedBars(entries)));
        h.append("</div>");
        h.append(predictions(task, entries, methods));
        h.append(settings(settings));
        h.append(Html.tail());
        return h.toString();
    }

    private static List<String> methods(List<Report.Entry> entries) { return entries.stream().map(Report.Entry::method).distinct().toList(); }

    private static String color(List<String> methods, String method) { return COLORS[methods.indexOf(method) % COLORS.length]; }

    /** Test metrics shown as columns: per-label AUROCs (multi-label tasks) stay in metrics.json, as would any internal sign-flipped entry. */
    static List<String> metricColumns(List<Report.Entry> entries) {
        return entries.getFirst().outcome().refine().test().keySet().stream().filter(m -> !m.startsWith("auroc_label_") && !m.startsWith("neg_")).toList();
    }

    private static String table(List<Report.Entry> entries, Reference reference, int trainSize) {
        StringBuilder t = new StringBuilder("<table><tr><th>method</th><th>seed</th><th>k</th><th>tokens</th><th>distance before</th><th>after</th><th>best epoch</th>");
        List<String> metrics = metricColumns(entries);
        for (String m : metrics) t.append("<th>test ").append(esc(m)).append("</th>");
        t.append("<th>align s</th><th>refine s</th></tr>");
        for (Report.Entry e : entries) {
            OrcaRun.Outcome o = e.outcome();
            t.append("<tr><td style=\"text-align:left\">").append(esc(e.method())).append("</td><td>").append(e.seed()).append("</td><td>").append(o.patch())
                    .append("</td><td>").append(o.tokens()).append("</td><td>").append(o.align() == null ? "-" : Report.fmt(o.align().before()))
                    .append("</td><td>").append(o.align() == null ? "-" : Report.fmt(o.align().after())).append("</td><td>").append(o.refine().bestEpoch()).append("</td>");
            for (String m : metrics) t.append("<td>").append(Report.fmt(o.refine().test().getOrDefault(m, Double.NaN))).append("</td>");
            t.append("<td>").append(o.align() == null ? "-" : Report.fmt(o.align().seconds())).append("</td><td>").append(Report.fmt(o.refine().seconds())).append("</td></tr>");
        }
        if (reference != null) {
            for (Reference.Baseline b : reference.all()) {
                String what = b.name() + ": " + b.model() + (b.trials().isEmpty() ? "" : ", L2 " + Report.fmt(b.lambda()))
                        + (b.trainRows() < trainSize ? ", fitted on " + b.trainRows() + " training rows" : "");
                t.append("<tr class=\"reference\"><td class=\"l\" colspan=\"7\">").append(esc(what)).append("</td>");
                for (String m : metrics) t.append("<td>").append(b.test().containsKey(m) ? Report.fmt(b.test().get(m)) : "-").append("</td>");
                t.append("<td>-</td><td>").append(Report.fmt(b.seconds())).append("</td></tr>");
            }
            if (reference.linearMissing() != null) t.append("<tr class=\"reference\"><td class=\"l\" colspan=\"").append(9 + metrics.size()).append("\">")
                    .append(esc("linear: " + reference.linearMissing())).append("</td></tr>");
        }
        return t.append("</table>").toString();
    }

    /** Predicted against true test outputs of the first run of each method: fields (dense), a confusion matrix (classes), a scatter (regression). */
    private static String predictions(TaskLoader.LoadedTask task, List<Report.Entry> entries, List<String> methods) {
        Map<String, ReportPredictions> first = new LinkedHashMap<>();
        for (Report.Entry e : entries) if (e.predictions() != null) first.putIfAbsent(e.method(), e.predictions());
        if (first.isEmpty()) return "";
        TaskSpec spec = task.spec();
        StringBuilder h = new StringBuilder("<h2>Test predictions</h2>");
        ArrayDataset test = task.test();
        switch (spec.kind()) {
            case DENSE -> h.append(fields(spec, test, first, methods));
            case CLASSES -> first.forEach((method, p) -> h.append(confusion(spec, test, method, p)));
            case REGRESSION -> h.append(regressionScatter(test, first, methods));
            case MULTILABEL -> h.append("<p>Multi-label task: per-label AUROCs are in metrics.json.</p>");
        }
        return h.toString();
    }

    private static String fields(TaskSpec spec, ArrayDataset test, Map<String, ReportPredictions> first, List<String> methods) {
        StringBuilder h = new StringBuilder("<p>The first test fields (output channel 0): the true field and each method's prediction (first seed).</p><div class=\"charts\">");
        int[] s = spec.spatial();
        int per = 1;
        for (int v : s) per *= v;
        int width = per * spec.targetShape()[0];
        float[] targets = denseTargets(test);
        ReportPredictions any = first.values().iterator().next();
        for (int i = 0; i < any.rows().length; i++) {
            int row = any.rows()[i];
            float[] truth = java.util.Arrays.copyOfRange(targets, row * width, row * width + per);
            if (s.length == 1) {
                List<Svg.Series> series = new ArrayList<>();
                series.add(new Svg.Series("true", toDoubles(truth), 0, "#000000", ""));
                for (var e : first.entrySet()) {
                    series.add(new Svg.Series(e.getKey(), toDoubles(java.util.Arrays.copyOf(e.getValue().row(i), per)), 0, color(methods, e.getKey()), "6,3"));
                }
                h.append(figure("Test field " + row, Svg.lines(series, "position", "value")));
            } else {
                int stride = Math.max(1, (int) Math.ceil(Math.max(s[0], s[1]) / (double) MAX_HEAT_SIDE));
                double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
                for (float v : truth) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
                int cell = Math.max(2, 160 / ((s[1] + stride - 1) / stride));
                StringBuilder row2 = new StringBuilder(Svg.heatMap(strided(truth, s[0], s[1], stride), (s[0] + stride - 1) / stride, (s[1] + stride - 1) / stride, lo, hi, cell, "true"));
                for (var e : first.entrySet()) {
                    float[] p = java.util.Arrays.copyOf(e.getValue().row(i), per);
                    row2.append(Svg.heatMap(strided(p, s[0], s[1], stride), (s[0] + stride - 1) / stride, (s[1] + stride - 1) / stride, lo, hi, cell, e.getKey()));
                }
                h.append(figure("Test field " + row + " (colour scale of the true field: blue " + Report.fmt(lo) + ", red " + Report.fmt(hi) + ")", row2.toString()));
            }
        }
        return h.append("</div>").toString();
    }

    private static float[] strided(float[] f, int rows, int cols, int stride) {
        int h = (rows + stride - 1) / stride, w = (cols + stride - 1) / stride;
        float[] o = new float[h * w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) o[i * w + j] = f[i * stride * cols + j * stride];
        return o;
    }

    private static String confusion(TaskSpec spec, ArrayDataset test, String method, ReportPredictions p) {
        int k = spec.outputs();
        if (k > MAX_CONFUSION_CLASSES) return "<p>" + esc(method) + ": " + k + " classes, too many for a confusion matrix here.</p>";
        int[] pred = dev.orcaj.metrics.Accuracy.argmax(p.outputs(), k), labels = test.labels();
        int[][] cm = new int[k][k];
        for (int i = 0; i < p.rows().length; i++) cm[labels[p.rows()[i]]][pred[i]]++;
        int max = 1;
        for (int[] r : cm) for (int v : r) max = Math.max(max, v);
        StringBuilder t = new StringBuilder("<figure><table class=\"cm\"><tr><th>true \\ predicted</th>");
        for (int c = 0; c < k; c++) t.append("<th>").append(esc(className(test, c))).append("</th>");
        t.append("</tr>");
        for (int r = 0; r < k; r++) {
            t.append("<tr><th>").append(esc(className(test, r))).append("</th>");
            for (int c = 0; c < k; c++) {
                int shade = 255 - (int) Math.round(155.0 * cm[r][c] / max);
                String bg = r == c ? String.format(Locale.ROOT, "#%02xff%02x", shade, shade) : String.format(Locale.ROOT, "#ff%02x%02x", shade, shade);
                t.append("<td style=\"background:").append(cm[r][c] == 0 ? "#fff" : bg).append("\">").append(cm[r][c]).append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table><figcaption>").append(esc("Confusion matrix of " + method + " (first seed) on " + p.rows().length + " test rows")).append("</figcaption></figure>").toString();
    }

    private static String className(ArrayDataset d, int c) { return d.classNames().isEmpty() ? Integer.toString(c) : d.classNames().get(c); }

    private static String regressionScatter(ArrayDataset test, Map<String, ReportPredictions> first, List<String> methods) {
        float[] t = ((dev.orcaj.data.Targets.VectorTargets) test.targets()).values();
        int width = ((dev.orcaj.data.Targets.VectorTargets) test.targets()).width();
        ReportPredictions any = first.values().iterator().next();
        double[] truth = new double[any.rows().length];
        for (int i = 0; i < truth.length; i++) truth[i] = t[any.rows()[i] * width];
        List<double[]> predicted = new ArrayList<>();
        List<String> labels = new ArrayList<>(), colors = new ArrayList<>();
        first.forEach((m, p) -> {
            double[] v = new double[p.rows().length];
            for (int i = 0; i < v.length; i++) v[i] = p.outputs()[i * width];
            predicted.add(v);
            labels.add(m);
            colors.add(color(methods, m));
        });
        return "<div class=\"charts\">" + figure("Predicted against true test target 0 (first seed of each method, " + truth.length + " rows)", Svg.scatter(truth, predicted, labels, colors)) + "</div>";
    }

    private static String settings(Map<String, Object> settings) {
        if (settings == null || settings.isEmpty()) return "";
        StringBuilder t = new StringBuilder("<h2>Settings</h2><table>");
        settings.forEach((k, v) -> t.append("<tr><th style=\"text-align:left\">").append(esc(k)).append("</th><td class=\"l\">").append(esc(String.valueOf(v))).append("</td></tr>"));
        return t.append("</table>").toString();
    }

    private static float[] denseTargets(ArrayDataset d) {
        return switch (d.targets()) {
            case dev.orcaj.data.Targets.DenseTargets dt -> dt.values();
            case dev.orcaj.data.Targets.VectorTargets v -> v.values();
            case dev.orcaj.data.Targets.ClassLabels c -> throw new IllegalStateException("dense task with class labels");
        };
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

}
