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
}
