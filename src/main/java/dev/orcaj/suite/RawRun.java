package dev.orcaj.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;
import dev.orcaj.orca.Evaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw result of one suite run, one small JSON file per task/method/seed: what the aggregate tables are computed
 * from, and what is committed under docs/results/ so that anyone can recompute them.
 *
 * @param metric         the test metric the tables compare for this task
 * @param higherIsBetter the metric's direction (false for errors such as relative_l2, rmse, mae)
 * @param reference      test metrics of the reference baselines (trivial, linear) on the same split, when the run had them
 * @param alignBefore    the stage-2 objective (OTDD, MMD, ...) before alignment, NaN without stage 2; alignAfter: after it
 * @param selectMetric   the validation metric that selected the epoch (null in files without it)
 * @param curve          the selection metric on the validation split after each stage-3 epoch (empty in files without it)
 * @param bestEpoch      the selected epoch, 1-based (0 when unknown)
 * @param seconds        wall time of the whole run (data loading, all stages, evaluation)
 * @param commit         the source commit the run was made with ("+dirty" when the tree had changes), or "unknown"
 */
public record RawRun(String suite, String task, String data, String label, String method, String objective, int seed,
                     String metric, boolean higherIsBetter, Map<String, Double> test, Map<String, Double> validation,
                     Map<String, Map<String, Double>> reference, double seconds, double alignSeconds, double refineSeconds,
                     double alignBefore, double alignAfter, String selectMetric, List<Double> curve, int bestEpoch, Map<String, Object> settings, String commit, String hostCpu, int cores, String finished) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The compared test value. */
    public double value() {
        return test.get(metric);
    }

    /** A reference baseline's compared test value, or NaN when the run has none of that name. */
    public double reference(String name) { return reference(name, metric); }

    /** A reference baseline's test value on {@code m}, or NaN when the run has none. */
    public double reference(String name, String m) {
        Map<String, Double> r = reference.get(name);
        Double v = r == null ? null : r.get(m);
        return v == null ? Double.NaN : v;
    }

    public void write(Path file) throws IOException {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("suite", suite); j.put("task", task); j.put("data", data); j.put("label", label); j.put("method", method);
        j.put("objective", objective); j.put("seed", seed); j.put("metric", metric); j.put("higher_is_better", higherIsBetter);
        j.put("test", test); j.put("validation", validation); j.put("reference", reference);
        j.put("seconds", round(seconds)); j.put("align_seconds", Double.isNaN(alignSeconds) ? null : round(alignSeconds)); j.put("refine_seconds", round(refineSeconds));
        j.put("align_before", nullIfNaN(alignBefore)); j.put("align_after", nullIfNaN(alignAfter));
        j.put("select_metric", selectMetric); j.put("validation_curve", curve); j.put("best_epoch", bestEpoch);
        j.put("settings", settings); j.put("commit", commit); j.put("host_cpu", hostCpu); j.put("cores", cores); j.put("finished", finished);
        byte[] bytes = JSON.writeValueAsBytes(j);
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double round(double s) {
        return Math.round(s * 10) / 10.0;
    }

    /** Reads and checks a raw file; every problem names the file and the field. */
    public static RawRun read(Path file) throws IOException {
        JsonNode j;
        try {
            j = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": malformed JSON (" + e.getOriginalMessage() + ")");
        }
        if (j == null || !j.isObject()) throw new IllegalArgumentException(file + ": expected a JSON object (a suite run)");
        Map<String, Double> test = numbers(j, "test", file);
        String metric = text(j, "metric", file);
        if (!test.containsKey(metric)) throw new IllegalArgumentException(file + ": test has no value for the compared metric '" + metric + "'");
        boolean higher = j.path("higher_is_better").asBoolean();
        if (higher != Evaluator.higherIsBetter(metric)) throw new IllegalArgumentException(file + ": higher_is_better " + higher + " contradicts metric " + metric);
        Map<String, Map<String, Double>> reference = new LinkedHashMap<>();
        j.path("reference").properties().forEach(e -> reference.put(e.getKey(), numbers(j.path("reference"), e.getKey(), file)));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = j.has("settings") ? JSON.convertValue(j.get("settings"), Map.class) : Map.of();
        return new RawRun(text(j, "suite", file), text(j, "task", file), j.path("data").asText(), text(j, "label", file), text(j, "method", file),
                j.path("objective").isTextual() ? j.path("objective").asText() : null, j.path("seed").asInt(), metric, higher, test,
                j.has("validation") ? numbers(j, "validation", file) : Map.of(), reference, number(j, "seconds"),
                number(j, "align_seconds"), number(j, "refine_seconds"),
                number(j, "align_before"), number(j, "align_after"), j.path("select_metric").isTextual() ? j.path("select_metric").asText() : null, curve(j), j.path("best_epoch").asInt(0), settings,
                j.path("commit").asText("unknown"), j.path("host_cpu").asText("unknown"), j.path("cores").asInt(0), j.path("finished").asText(""));
    }

    private static List<Double> curve(JsonNode j) {
        List<Double> out = new java.util.ArrayList<>();
        j.path("validation_curve").forEach(v -> out.add(v.isNumber() ? v.asDouble() : Double.NaN));
        return out;
    }

    /** Whether the validation curve says anything about the budget: two or more epochs of a known metric. */
    public boolean hasCurve() {
        return selectMetric != null && curve.size() >= 2;
    }

    /**
     * Whether the last epoch's validation score beats every earlier one (strictly: a flat curve, e.g. an accuracy
     * stuck at the majority rate, is not improving): more epochs might still have helped.
     */
    public boolean stillImproving() {
        if (!hasCurve()) return false;
        boolean higher = Evaluator.higherIsBetter(selectMetric);
        double last = curve.getLast();
        for (double v : curve.subList(0, curve.size() - 1)) if (!(higher ? last > v : last < v)) return false;
        return true;
    }

    /** NaN where the field is missing or null (e.g. align_seconds of a run without stage 2). */
    private static double number(JsonNode j, String field) {
        return j.path(field).isNumber() ? j.path(field).asDouble() : Double.NaN;
    }

    private static String text(JsonNode j, String field, Path file) {
        JsonNode v = j.get(field);
        if (v == null || !v.isValueNode() || v.isNull()) throw new IllegalArgumentException(file + ": missing field '" + field + "'");
        return v.asText();
    }

    private static Map<String, Double> numbers(JsonNode j, String field, Path file) {
        JsonNode v = j.get(field);
        if (v == null || !v.isObject()) throw new IllegalArgumentException(file + ": field '" + field + "' must be an object of metric names to numbers");
        Map<String, Double> out = new LinkedHashMap<>();
        v.properties().forEach(e -> {
            if (!e.getValue().isNumber()) throw new IllegalArgumentException(file + ": " + field + "." + e.getKey() + " is not a number");
            out.put(e.getKey(), e.getValue().asDouble());
        });
        return out;
    }
}
