package dev.orcaj.suite;

import dev.orcaj.orca.Evaluator;
import dev.orcaj.tune.SearchSpace;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a suite file (YAML). Every error is one line naming the file and the key. Example (suites/smoke.yaml):
 * <pre>
 * name: smoke
 * description: free text printed at the top of the results page
 * results: docs/results/smoke        # raw per-run JSON, one file per task/method/seed
 * methods: [orca, finetune, scratch]
 * seeds: 3                           # seeds 0, 1, 2
 * objective: otdd                    # stage-2 objective of "orca" (default otdd)
 * common: {epochs: 4, align-epochs: 10}   # orca run flags (long names without dashes) for every task
 * tasks:
 *   - name: advection
 *     data: pde:advection:32:160
 *     metric: relative_l2              # optional: the test metric compared (default: the selection metric)
 *     flags: {batch-size: 16, lr: 1e-3}
 *     space: "target_seq_len=16"     # optional, with tune: this task's search-space dimensions replace the suite's
 * ablation: {objectives: [mmd, euclidean], tasks: [advection]}   # optional
 * tune: {trials: 9, max-epochs: 9, eta: 3}   # optional: ASHA-tune every method first (orca tune), see docs/SUITES.md
 * </pre>
 * Paths (results, data) are relative to the working directory, as on the {@code orca run} command line.
 */
public final class SuiteFile {
    static final List<String> METHODS = List.of("orca", "finetune", "scratch");
    static final List<String> OBJECTIVES = List.of("otdd", "otdd-gaussian", "mmd", "euclidean");
    /** Flags the suite sets itself for each cell; a suite file that sets them would contradict its own grid. */
    static final Set<String> RESERVED_FLAGS = Set.of("data", "methods", "seeds", "seed", "objective", "out", "resume", "config");
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "results", "methods", "seeds", "objective", "common", "tasks", "ablation", "tune");
    private static final Set<String> TASK_KEYS = Set.of("name", "data", "metric", "flags", "space");

    private final Path file;

    /**
     * Booleans, whole numbers and nulls are typed; every other scalar stays the text written, so that a value such as
     * {@code lr: 3e-4} reaches orca run (and the results page) as "3e-4", not as a re-printed float "3.0E-4".
     */
    private static final class ScalarsAsWritten extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    private SuiteFile(Path file) {
        this.file = file;
    }

    public static SuiteSpec read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "expected a suite file (YAML)");
        Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            LoaderOptions options = new LoaderOptions();
            DumperOptions unused = new DumperOptions();
            root = new Yaml(new SafeConstructor(options), new Representer(unused), unused, options, new ScalarsAsWritten()).load(r);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": malformed YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return new SuiteFile(file).parse(root);
    }

    private SuiteSpec parse(Object root) {
        Map<String, Object> m = map(root, "the file");
        for (String k : m.keySet()) if (!TOP_KEYS.contains(k)) fail(k, "unknown key (expected one of " + String.join(", ", sorted(TOP_KEYS)) + ")");
        String name = name(text(m, "name", true), "name");
        String description = text(m, "description", false);
        Path results = Path.of(text(m, "results", true));
        List<String> methods = list(m.get("methods"), "methods");
        if (methods.isEmpty()) fail("methods", "expected a non-empty list of " + String.join(", ", METHODS));
        for (String x : methods) if (!METHODS.contains(x)) fail("methods", "'" + x + "' is not one of " + String.join(", ", METHODS));
        if (new HashSet<>(methods).size() != methods.size()) fail("methods", "lists a method twice");
        int seeds = integer(m.get("seeds"), "seeds");
        if (seeds < 1) fail("seeds", "expected at least 1, got " + seeds);
        String objective = m.containsKey("objective") ? text(m, "objective", true) : "otdd";
        if (!OBJECTIVES.contains(objective)) fail("objective", "'" + objective + "' is not one of " + String.join(", ", OBJECTIVES));
        Map<String, String> common = flags(m.get("common"), "common");
        List<SuiteSpec.Task> tasks = tasks(m.get("tasks"));
        SuiteSpec.Ablation ablation = ablation(m.get("ablation"), objective, tasks);
        SuiteSpec.Tune tune = tune(m.get("tune"));
        for (int i = 0; i < tasks.size(); i++) {
            if (!tasks.get(i).space().isEmpty() && tune == null) fail("tasks[" + i + "].space", "a task's search space needs a tune: block in the suite");
        }
        return new SuiteSpec(file, name, description, results, List.copyOf(methods), seeds, objective, common, tasks, ablation, tune);
    }

    private List<SuiteSpec.Task> tasks(Object v) {
        if (!(v instanceof List<?> l) || l.isEmpty()) throw fail("tasks", "expected a non-empty list of {name, data, metric?, flags?}");
        List<SuiteSpec.Task> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < l.size(); i++) {
            String where = "tasks[" + i + "]";
            Map<String, Object> t = map(l.get(i), where);
            for (String k : t.keySet()) if (!TASK_KEYS.contains(k)) fail(where + "." + k, "unknown key (expected one of " + String.join(", ", sorted(TASK_KEYS)) + ")");
            String name = name(text(t, "name", true, where), where + ".name");
            if (!names.add(name)) fail(where + ".name", "task '" + name + "' appears twice");
            String metric = text(t, "metric", false, where);
            if (metric != null) {
                try {
                    Evaluator.higherIsBetter(metric);
                } catch (IllegalArgumentException e) {
                    fail(where + ".metric", e.getMessage());
                }
            }
            String space = t.containsKey("space") ? text(t, "space", true, where) : "";
            try {
                SearchSpace.parse(space, SearchSpace.paper());
            } catch (IllegalArgumentException e) {
                fail(where + ".space", e.getMessage());
            }
            out.add(new SuiteSpec.Task(name, text(t, "data", true, where), metric, flags(t.get("flags"), where + ".flags"), space));
        }
        return List.copyOf(out);
    }

    private SuiteSpec.Ablation ablation(Object v, String objective, List<SuiteSpec.Task> tasks) {
        if (v == null) return SuiteSpec.Ablation.NONE;
        Map<String, Object> a = map(v, "ablation");
        for (String k : a.keySet()) if (!Set.of("objectives", "tasks").contains(k)) fail("ablation." + k, "unknown key (expected objectives, tasks)");
        List<String> objectives = list(a.get("objectives"), "ablation.objectives");
        for (String o : objectives) {
            if (!OBJECTIVES.contains(o)) fail("ablation.objectives", "'" + o + "' is not one of " + String.join(", ", OBJECTIVES));
            if (o.equals(objective)) fail("ablation.objectives", "'" + o + "' is already the objective of orca; list only the other objectives");
        }
        List<String> names = tasks.stream().map(SuiteSpec.Task::name).toList();
        List<String> on = a.containsKey("tasks") ? list(a.get("tasks"), "ablation.tasks") : names;
        for (String t : on) if (!names.contains(t)) fail("ablation.tasks", "'" + t + "' is not a task of this suite");
        return new SuiteSpec.Ablation(List.copyOf(objectives), List.copyOf(on));
    }

    private SuiteSpec.Tune tune(Object v) {
        if (v == null) return null;
        Map<String, Object> t = map(v, "tune");
        Set<String> keys = Set.of("trials", "min-epochs", "max-epochs", "eta", "space");
        for (String k : t.keySet()) if (!keys.contains(k)) fail("tune." + k, "unknown key (expected one of " + String.join(", ", sorted(keys)) + ")");
        int trials = integer(t.get("trials"), "tune.trials"), min = t.containsKey("min-epochs") ? integer(t.get("min-epochs"), "tune.min-epochs") : 1;
        int max = integer(t.get("max-epochs"), "tune.max-epochs"), eta = t.containsKey("eta") ? integer(t.get("eta"), "tune.eta") : 3;
        if (trials < 1) fail("tune.trials", "expected at least 1, got " + trials);
        if (min < 1 || max < min) fail("tune.max-epochs", "expected 1 <= min-epochs <= max-epochs, got " + min + " and " + max);
        if (eta < 2) fail("tune.eta", "expected at least 2, got " + eta);
        String space = t.containsKey("space") ? text(t, "space", true, "tune") : "";
        return new SuiteSpec.Tune(trials, min, max, eta, space);
    }

    /** A map of orca run flags: scalar values, lists (joined with commas), booleans (true = the flag alone). */
    private Map<String, String> flags(Object v, String where) {
        if (v == null) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        map(v, where).forEach((k, x) -> {
            if (k.startsWith("-")) fail(where + "." + k, "write flags without dashes, e.g. 'epochs: 5'");
            if (RESERVED_FLAGS.contains(k)) fail(where + "." + k, "set by the suite itself (data, methods, seeds, objective, out are suite keys)");
            if (x instanceof List<?> l) out.put(k, String.join(",", l.stream().map(String::valueOf).toList()));
            else if (x instanceof Map<?, ?>) fail(where + "." + k, "expected a value or a list, not a map");
            else if (x == null) fail(where + "." + k, "has no value");
            else out.put(k, String.valueOf(x));
        });
        return out;
    }

    private Map<String, Object> map(Object v, String where) {
        if (!(v instanceof Map<?, ?> raw)) throw fail(where, "expected a map of keys to values");
        Map<String, Object> out = new LinkedHashMap<>();
        raw.forEach((k, x) -> out.put(String.valueOf(k), x));
        return out;
    }

    private List<String> list(Object v, String key) {
        if (v instanceof String s) return List.of(s);
        if (!(v instanceof List<?> l)) throw fail(key, "expected a list, e.g. [a, b]");
        return l.stream().map(String::valueOf).toList();
    }

    private int integer(Object v, String key) {
        if (v instanceof Integer i) return i;
        throw fail(key, "expected a whole number, got " + (v == null ? "nothing" : "'" + v + "'"));
    }

    private String text(Map<String, Object> m, String key, boolean required) {
        return text(m, key, required, null);
    }

    private String text(Map<String, Object> m, String key, boolean required, String where) {
        Object v = m.get(key);
        String full = where == null ? key : where + "." + key;
        if (v == null) {
            if (required) fail(full, "missing");
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) fail(full, "expected a single value");
        String s = String.valueOf(v).strip();
        if (s.isEmpty() && required) fail(full, "is empty");
        return s;
    }

    /** Names become folder and file names: letters, digits, '.', '_' and '-' only. */
    private String name(String s, String key) {
        if (!s.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) fail(key, "'" + s + "' must be letters, digits, '.', '_' or '-' (it names folders)");
        return s;
    }

    private IllegalArgumentException fail(String key, String why) {
        throw new IllegalArgumentException(file + ": " + key + ": " + why);
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
