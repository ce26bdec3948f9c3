package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.orca.AlignStage;
import dev.orcaj.orca.Experiment;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.RefineStage;
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
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs a suite cell as an {@link Experiment} built from the cell's {@code orca run} flags (one method, one seed), in a
 * scratch directory {@code RESULTS/.work/TASK/LABEL-seedS}, takes the outcome from the experiment's result value (the
 * reference baselines from its metrics.json), and deletes the directory (models and checkpoints are large; the raw
 * JSON keeps what the tables need). A failed run's directory is left for inspection and removed when the cell runs again.
 */
final class OrcaRunExecutor implements RunExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** CPU threads of each run, replacing the suite file's --threads; 0 keeps the suite file's. */
    private final int threads;

    OrcaRunExecutor() { this(0); }

    OrcaRunExecutor(int threads) { this.threads = threads; }

    /** The {@code orca run} flags of a cell (long names with dashes; switches as "true"/"false"). */
    static Map<String, String> flags(SuiteSpec suite, SuiteCell c) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("--data", c.task().data());
        c.flags(suite).forEach((k, v) -> f.put("--" + k, v));
        f.put("--methods", c.method());
        f.put("--seed", String.valueOf(c.seed()));
        f.put("--seeds", "1");
        if (c.objective() != null) f.put("--objective", c.objective());
        return f;
    }

    /** The same run as an {@code orca run} command line, for --dry-run and to check the flags. */
    static List<String> args(SuiteSpec suite, SuiteCell c, Path out) {
        List<String> a = new ArrayList<>(List.of("run"));
        flags(suite, c).forEach((k, v) -> {
            if (v.equals("true")) a.add(k);
            else if (!v.equals("false")) {
                a.add(k);
                a.add(v);
            }
        });
        a.addAll(List.of("--out", out.toString()));
        return a;
    }

    static Path workDir(SuiteSpec suite, SuiteCell c) {
        return suite.results().resolve(".work").resolve(c.task().name()).resolve(c.label() + "-seed" + c.seed());
    }

    /** Where the task's search runs ({@code orca tune --out}); kept until the suite is done with the task. */
    static Path tuneDir(SuiteSpec suite, SuiteCell c) {
        return suite.results().resolve(".work").resolve("tune").resolve(c.task().name());
    }

    /**
     * The best configuration's run flags for the cell's method (an ablation run takes orca's): searched once per task
     * for all the suite's methods with {@code orca tune}, resumed if an earlier search was interrupted, then read
     * from its tune.json.
     */
    static Map<String, String> tuned(SuiteSpec suite, SuiteCell c) throws Exception { return tuned(suite, c, 0, 0); }

    /** The same, a search that has yet to run running {@code parallel} trials at once with {@code threads} each (0, 0: orca tune's defaults). */
    static Map<String, String> tuned(SuiteSpec suite, SuiteCell c, int parallel, int threads) throws Exception {
        Path dir = tuneDir(suite, c), summary = dir.resolve("tune.json");
        if (!Files.isRegularFile(summary)) {
            List<String> args = new ArrayList<>(List.of("tune"));
            if (Files.isRegularFile(dir.resolve("run.json"))) {
                args.addAll(List.of("--resume", dir.toString()));
            } else {
                SuiteSpec.Tune t = suite.tune();
                args.addAll(List.of("--data", c.task().data()));
                c.flags(suite).forEach((k, v) -> {
                    String flag = "--" + k;
                    if (TuneCommand.SEARCHED.containsKey(flag) || Set.of("--epochs", "--decay-epochs", "--threads").contains(flag) || v.equals("false")) return;
                    args.add(flag);
                    if (!v.equals("true")) args.add(v);
                });
                args.addAll(List.of("--methods", String.join(",", suite.methods()), "--objective", suite.objective(), "--seed", "0", "--trials", String.valueOf(t.trials()),
                        "--min-epochs", String.valueOf(t.minEpochs()), "--max-epochs", String.valueOf(t.maxEpochs()), "--eta", String.valueOf(t.eta())));
                String space = suite.tuneSpace(c.task());
                if (!space.isEmpty()) args.addAll(List.of("--space", space));
                if (parallel > 0) args.addAll(List.of("--parallel", String.valueOf(parallel), "--threads-per-trial", String.valueOf(threads)));
                args.addAll(List.of("--out", dir.toString()));
            }
            System.out.println("tuning task " + c.task().name() + ": orca " + String.join(" ", args));
            int code = OrcaCli.run(args.toArray(String[]::new));
            if (code != 0) throw new IllegalStateException("orca tune for task " + c.task().name() + " exited with code " + code + " (its error is printed above)");
        }
        for (JsonNode best : JSON.readTree(summary.toFile()).path("methods")) {
            if (best.path("method").asText().equals(c.method())) {
                Map<String, String> f = new LinkedHashMap<>();
                best.path("flags").properties().forEach(e -> f.put(e.getKey(), e.getValue().asText()));
                return f;
            }
        }
        throw new IllegalStateException(summary + ": no finished trial for method " + c.method() + "; delete " + dir + " to search again");
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
        Map<String, String> flags = flags(suite, c);
        if (threads > 0) flags.put("--threads", String.valueOf(threads));
        if (suite.tune() != null) {
            flags.putAll(tuned(suite, c));
            flags.put("--epochs", String.valueOf(suite.tune().maxEpochs()));
        }
        Experiment e = RunCommand.experimentOf(flags);
        // the directory goes when the cell is done and an interrupted cell starts over: checkpoints and the model
        // file would be written only to be deleted (about 2 GB and a quarter of a short run's time, see docs/SUITES.md)
        Experiment.Result result = e.run(e.output(dir, false).withoutModels());
        OrcaRun.Outcome o = result.runs().getFirst().outcome();
        RefineStage.Result refine = o.refine();
        String select = refine.selectMetric();
        List<Double> curve = new ArrayList<>();
        for (RefineStage.EpochLog l : refine.epochs()) curve.add(l.validation().getOrDefault(select, Double.NaN));
        AlignStage.Result align = o.align();
        Result r = new Result(refine.test(), refine.validation(), select, reference(JSON.readTree(result.metrics().toFile()).path("reference")), e.reportSettings(),
                align == null ? Double.NaN : align.seconds(), refine.seconds(), align == null ? Double.NaN : align.before(), align == null ? Double.NaN : align.after(),
                curve, refine.bestEpoch());
        deleteTree(dir);
        return r;
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

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
