package dev.orcaj.orca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report directory of a run: {@code metrics.json} (everything measured, machine-readable) and
 * {@code report.html}, one self-contained page with inline SVG charts (training loss per method, validation metric,
 * the stage-2 distance curve, time per stage) and the method comparison table. Both files are written atomically.
 */
public final class Report {
    public record Entry(String method, long seed, OrcaRun.Outcome outcome) {}

    private Report() {}

    public static void write(Path dir, TaskLoader.LoadedTask task, List<Entry> entries, Map<String, Object> settings) throws IOException {
        write(dir, task, entries, settings, Map.of());
    }

    /** As above, with further top-level blocks of metrics.json after "settings" (e.g. "body_selection"). */
    public static void write(Path dir, TaskLoader.LoadedTask task, List<Entry> entries, Map<String, Object> settings, Map<String, Object> blocks) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", Map.of("name", task.spec().name(), "data", task.description(), "input_shape", task.spec().inputShape(),
                "kind", task.spec().kind().name().toLowerCase(Locale.ROOT), "loss", task.spec().loss().flag(), "outputs", task.spec().outputs(),
                "train", task.train().size(), "validation", task.val().size(), "test", task.test().size()));
        json.put("settings", settings);
        json.putAll(blocks);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (Entry e : entries) runs.add(runJson(e));
        json.put("runs", runs);
        json.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", Runtime.version().toString(),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve("metrics.json"), out -> out.write(bytes));
        byte[] html = ReportHtml.render(task, entries).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve("report.html"), out -> out.write(html));
    }

    static Map<String, Object> runJson(Entry e) {
        OrcaRun.Outcome o = e.outcome();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("method", e.method());
        r.put("seed", e.seed());
        r.put("patch_k", o.patch());
        r.put("tokens", o.tokens());
        r.put("parameters", o.parameters());
        if (o.align() != null) {
            // null where stage 2 took a gradient-only step (no distance computed, AlignStage.VALUE_EVERY)
            List<Double> curve = java.util.Arrays.stream(o.align().curve()).mapToObj(v -> Double.isNaN(v) ? null : v).toList();
            r.put("alignment", Map.of("curve", curve, "before", o.align().before(), "after", o.align().after(), "seconds", o.align().seconds()));
        }
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (RefineStage.EpochLog l : o.refine().epochs()) {
            epochs.add(Map.of("epoch", l.epoch(), "train_loss", l.trainLoss(), "validation", l.validation(), "seconds", l.seconds()));
        }
        r.put("refine", Map.of("epochs", epochs, "best_epoch", o.refine().bestEpoch(), "seconds", o.refine().seconds()));
        r.put("select_metric", o.refine().selectMetric());
        r.put("reported", o.refine().reported() == null ? null : o.refine().reported().name().toLowerCase(Locale.ROOT));
        r.put("validation", o.refine().validation());
        r.put("test", o.refine().test());
        r.put("test_best", o.refine().testBest());
        r.put("test_last", o.refine().testLast());
        return r;
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
