package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.suite.RunExecutor;
import dev.orcaj.suite.SuiteCell;
import dev.orcaj.suite.SuiteSpec;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a suite cell as {@code orca run} (in this process) with one method and one seed in a scratch directory
 * {@code RESULTS/.work/TASK/LABEL-seedS}, reads its metrics.json, and deletes the directory (models and checkpoints
 * are large; the raw JSON keeps what the tables need). A failed run's directory is left for inspection and removed
 * when the cell runs again.
 */
final class OrcaRunExecutor implements RunExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The {@code orca run} arguments of a cell. */
    static List<String> args(SuiteSpec suite, SuiteCell c, Path out) {
        List<String> a = new ArrayList<>(List.of("run", "--data", c.task().data()));
        c.flags(suite).forEach((k, v) -> {
            if (v.equals("true")) a.add("--" + k);
            else if (!v.equals("false")) {
                a.add("--" + k);
                a.add(v);
            }
        });
        a.addAll(List.of("--methods", c.method(), "--seed", String.valueOf(c.seed()), "--seeds", "1"));
        if (c.objective() != null) a.addAll(List.of("--objective", c.objective()));
        a.addAll(List.of("--out", out.toString()));
        return a;
    }

    static Path workDir(SuiteSpec suite, SuiteCell c) {
        return suite.results().resolve(".work").resolve(c.task().name()).resolve(c.label() + "-seed" + c.seed());
    }

    /** Parses every cell's command line (no run), so that a bad flag in the suite file fails before hours of work. */
    static void checkFlags(SuiteSpec suite) {
        for (SuiteCell c : suite.cells()) {
            List<String> a = args(suite, c, Path.of("unused"));
            try {
                new CommandLine(new RunCommand()).parseArgs(a.subList(1, a.size()).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(suite.file() + ": task " + c.task().name() + ": its orca run flags do not parse: " + e.getMessage());
            }
        }
    }

    @Override
    public Result run(SuiteSpec suite, SuiteCell c) throws Exception {
        Path dir = workDir(suite, c);
        deleteTree(dir); // an earlier, interrupted attempt: start over
        int code = OrcaCli.run(args(suite, c, dir).toArray(String[]::new));
        if (code != 0) throw new IllegalStateException("orca run exited with code " + code + " (its error is printed above; its files are in " + dir + ")");
        Result r = read(dir.resolve("metrics.json"));
        deleteTree(dir);
        return r;
    }

    /** The single run of an {@code orca run --seeds 1 --methods M} metrics.json. */
    static Result read(Path metrics) throws IOException {
        JsonNode j = JSON.readTree(metrics.toFile());
        JsonNode runs = j.path("runs");
        if (runs.size() != 1) throw new IllegalStateException(metrics + ": expected one run, found " + runs.size());
        JsonNode run = runs.get(0), align = run.path("alignment");
        String select = run.path("select_metric").asText();
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = JSON.convertValue(j.path("settings"), Map.class);
        return new Result(numbers(run.path("test")), numbers(run.path("validation")), select.startsWith("neg_") ? select.substring(4) : select,
                reference(j.path("reference")), settings, number(align, "seconds"), number(run.path("refine"), "seconds"),
                number(align, "before"), number(align, "after"), curve(run.path("refine").path("epochs"), select), run.path("refine").path("best_epoch").asInt(0));
    }

    /** The selection metric on the validation split per stage-3 epoch (NaN where an epoch lacks it). */
    private static List<Double> curve(JsonNode epochs, String metric) {
        List<Double> out = new ArrayList<>();
        epochs.forEach(e -> out.add(number(e.path("validation"), metric)));
        return out;
    }

    /**
     * The "reference" block of metrics.json: per baseline either {"test": {metric: value}, ...} or {metric: value};
     * absent in reports written before the baselines existed.
     */
    private static Map<String, Map<String, Double>> reference(JsonNode ref) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        ref.properties().forEach(e -> {
            JsonNode v = e.getValue().has("test") ? e.getValue().get("test") : e.getValue();
            Map<String, Double> m = numbers(v);
            if (!m.isEmpty()) out.put(e.getKey(), m);
        });
        return out;
    }

    private static Map<String, Double> numbers(JsonNode o) {
        Map<String, Double> out = new LinkedHashMap<>();
        o.properties().forEach(e -> {
            if (e.getValue().isNumber()) out.put(e.getKey(), e.getValue().asDouble());
        });
        return out;
    }

    private static double number(JsonNode o, String field) {
        return o.path(field).isNumber() ? o.path(field).asDouble() : Double.NaN;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
