package dev.orcaj.orca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;
import dev.orcaj.orca.baselines.LinearPredictor;
import dev.orcaj.orca.baselines.Reference;

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
 * {@code report.html}, one self-contained page with inline SVG charts (training loss per method, validation metric with
 * the reference baselines as levels, the stage-2 distance curve, time per stage, predicted against true test outputs),
 * the comparison table of methods and reference baselines, and the settings. Both files are written atomically.
 */
public final class Report {
    /** One finished run; {@code predictions} (may be null) are its reported model's test outputs that the page draws. */
    public record Entry(String method, long seed, OrcaRun.Outcome outcome, ReportPredictions predictions) {
        public Entry(String method, long seed, OrcaRun.Outcome outcome) { this(method, seed, outcome, null); }
    }

    private Report() {}

    /** Without reference baselines (callers that have none). */
    public static void write(Path dir, TaskLoader.LoadedTask task, List<Entry> entries, Map<String, Object> settings) throws IOException {
        write(dir, task, entries, settings, null, Map.of());
    }

    /**
     * {@code reference} (may be null): the task's reference baselines, shown beside the methods; {@code blocks}: further
     * top-level blocks of metrics.json after "settings" (e.g. "body_selection").
     */
    public static void write(Path dir, TaskLoader.LoadedTask task, List<Entry> entries, Map<String, Object> settings, Reference reference,
                             Map<String, Object> blocks) throws IOException {
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
        if (reference != null) json.put("reference", referenceJson(reference));
        json.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "java", Runtime.version().toString(),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve("metrics.json"), out -> out.write(bytes));
        byte[] html = ReportHtml.render(task, entries, settings, reference).getBytes(StandardCharsets.UTF_8);
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

    /** The "reference" block of metrics.json: each baseline's model, validation and test metrics, and the linear model's L2 search. */
    static Map<String, Object> referenceJson(Reference r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Reference.Baseline b : r.all()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("model", b.model());
            if (!b.trials().isEmpty()) {
                j.put("lambda", b.lambda());
                List<Map<String, Object>> grid = new ArrayList<>();
                for (LinearPredictor.Trial t : b.trials()) grid.add(Map.of("lambda", t.lambda(), "validation_" + t.metric(), t.validation()));
                j.put("lambda_search", grid);
                j.put("converged", b.converged());
            }
            j.put("train_rows", b.trainRows());
            j.put("validation", b.validation());
            j.put("test", b.test());
            j.put("seconds", b.seconds());
            m.put(b.name(), j);
        }
        if (r.linearMissing() != null) m.put("linear_missing", r.linearMissing());
        return m;
    }

    /** The metric runs are compared on: the selection metric of the first run (the family's main metric by default). */
    static String comparisonMetric(List<Entry> entries) {
        String m = entries.getFirst().outcome().refine().selectMetric();
        return m != null ? m : entries.getFirst().outcome().refine().test().keySet().iterator().next();
    }

    /** Whether {@code value} is better than {@code baseline} on {@code metric} (strictly). */
    public static boolean beats(String metric, double value, double baseline) {
        return Evaluator.higherIsBetter(metric) ? value > baseline : value < baseline;
    }

    /**
     * The comparison printed at the end of {@code orca run}: each run's test score on the comparison metric, whether it
     * beats each reference baseline, then the baselines' own scores.
     */
    public static List<String> comparison(List<Entry> entries, Reference reference) { return comparison(comparisonMetric(entries), entries, reference); }

    /** As above on a given metric; with no entries, the baselines' scores only. */
    public static List<String> comparison(String metric, List<Entry> entries, Reference reference) {
        List<String> lines = new ArrayList<>();
        String better = Evaluator.higherIsBetter(metric) ? "higher" : "lower";
        lines.add(entries.isEmpty() ? "reference baselines, test " + metric + " (" + better + " is better):"
                : "test " + metric + " (" + better + " is better), models selected on the validation split:");
        for (Entry e : entries) {
            double v = e.outcome().refine().test().getOrDefault(metric, Double.NaN);
            StringBuilder verdict = new StringBuilder();
            if (reference != null) {
                List<String> beaten = new ArrayList<>(), not = new ArrayList<>();
                for (Reference.Baseline b : reference.all()) (beats(metric, v, b.test().getOrDefault(metric, Double.NaN)) ? beaten : not).add(b.name());
                verdict.append(not.isEmpty() ? "beats " + String.join(" and ", beaten)
                        : beaten.isEmpty() ? "does NOT beat " + String.join(" or ", not) : "beats " + String.join(" and ", beaten) + ", NOT " + String.join(" or ", not));
            }
            lines.add(String.format(Locale.ROOT, "  %-22s %-10s %s", e.method() + " seed " + e.seed(), fmt(v), verdict));
        }
        if (reference != null) {
            for (Reference.Baseline b : reference.all()) {
                String how = b.model() + (b.trials().isEmpty() ? "" : ", L2 " + fmt(b.lambda()) + " chosen on validation");
                lines.add(String.format(Locale.ROOT, "  %-22s %-10s %s", b.name(), fmt(b.test().getOrDefault(metric, Double.NaN)), how));
            }
            if (reference.linearMissing() != null) lines.add("  (" + reference.linearMissing() + ")");
        }
        return lines;
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
