package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.io.AtomicFiles;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.tune.Asha;
import dev.orcaj.tune.ChildJvmTrialRunner;
import dev.orcaj.tune.InProcessTrialRunner;
import dev.orcaj.tune.LocalTrialExecutor;
import dev.orcaj.tune.OrcaTrialRunner;
import dev.orcaj.tune.Search;
import dev.orcaj.tune.SearchSpace;
import dev.orcaj.tune.TrialExecutor;
import dev.orcaj.tune.TrialRunner;
import dev.orcaj.tune.TrialStore;
import dev.orcaj.tune.TuneReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code orca tune}: an ASHA search per method over the paper's appendix space, trials in a SQLite store, resumable. */
@Command(name = "tune", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Tune each method's stage-3 hyperparameters with ASHA (asynchronous successive halving, Li et al. 2020) on the validation split.",
                "One search per method, each with the same budget (--trials, --min-epochs, --max-epochs, --eta) and the same drawn configurations.",
                "Rungs train r, r*eta, ... epochs of one schedule spanning --max-epochs; a promoted trial continues from its checkpoint.",
                "Writes to --out: run.json, per method <method>/tune.db (SQLite trial store), <method>/tune.json, <method>/tune.md",
                "(trial table), <method>/tune.html (settings, trial table, rung-score chart) and <method>/trials/<id>/ (checkpoints, logs);",
                "tune.json, tune.md and tune.html summarise the methods."},
        footer = {"%nExamples:",
                "  orca tune --data ucr:data/ECG200 --methods orca,finetune --trials 9 --max-epochs 9 --out runs/ecg-tune",
                "  orca tune --resume runs/ecg-tune      (continue after an interruption; finished rungs are not rerun)",
                "  orca tune ... --space 'lr=1e-3,1e-4;batch_size=16,32'   (narrow the searched values)"})
public final class TuneCommand implements Callable<Integer> {
    /** Flags the search sets per trial: given on the command line they would be silently overridden, so they are refused. */
    static final Map<String, String> SEARCHED = Map.of("--batch-size", "batch_size", "--clip", "clip", "--dropout", "dropout", "--optimizer", "optimizer",
            "--lr", "lr", "--weight-decay", "weight_decay", "--patch", "target_seq_len");
    /** Flags the search sets itself (the epoch budget per rung, the threads per trial). */
    private static final Set<String> SET_BY_SEARCH = Set.of("--epochs", "--decay-epochs", "--threads");
    private static final Set<String> TUNE_ONLY = Set.of("--methods", "--trials", "--min-epochs", "--max-epochs", "--eta", "--parallel", "--threads-per-trial",
            "--space", "--order", "--refit-seeds", "--executor", "--executor-option", "--out", "--resume");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin TaskOptions task;
    @Mixin ModelOptions model;
    @Mixin AlignOptions align;
    @Mixin OptimizerOptions optimizer;
    @Mixin TrainOptions train;
    @Option(names = "--methods", split = ",", defaultValue = "orca,finetune", description = "Comma list of orca, finetune, scratch: one search each (default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--trials", defaultValue = "9", description = "Configurations drawn per method (default: ${DEFAULT-VALUE}).")
    int trials;
    @Option(names = "--min-epochs", defaultValue = "1", description = "r: stage-3 epochs of the bottom rung (default: ${DEFAULT-VALUE}).")
    int minEpochs;
    @Option(names = "--max-epochs", defaultValue = "9", description = "R: epochs of the top rung; every trial's schedule spans R (default: ${DEFAULT-VALUE}).")
    int maxEpochs;
    @Option(names = "--eta", defaultValue = "3", description = "Reduction factor: the top 1/eta of a rung is promoted (default: ${DEFAULT-VALUE}).")
    int eta;
    @Option(names = "--space", defaultValue = "", description = "Searched values, name=v1,v2;... for any of target_seq_len, batch_size, clip, dropout, optimizer, lr, weight_decay; others keep the paper's appendix values.")
    String space;
    @Option(names = "--parallel", defaultValue = "0", description = "Trials in flight at once; 0 = half the cores, at least 1.")
    int parallel;
    @Option(names = "--threads-per-trial", defaultValue = "0", description = "CPU threads of each trial; 0 = cores / --parallel. One trial at a time runs in this JVM, several each in a JVM of its own.")
    int threadsPerTrial;
    @Option(names = "--order", defaultValue = "simulated", description = "simulated: results are applied in a simulated-time order, so the search is reproducible at any speed (default); arrival: as they arrive (fully asynchronous, timing-dependent when --parallel > 1).")
    String order;
    @Option(names = "--executor", defaultValue = "local", description = "Where trials run: local (one child JVM per rung on this machine; default) or an executor another jar on the class path provides (spark: the orca-spark module).")
    String executor;
    @Option(names = "--executor-option", split = ",", paramLabel = "KEY=VALUE", description = "Settings of a non-local executor (repeatable or comma list), e.g. master=spark://host:7077.")
    List<String> executorOptions = new ArrayList<>();
    @Option(names = "--refit-seeds", defaultValue = "0", description = "After the search, run each method's best configuration for --max-epochs with this many seeds (orca run into <out>/refit-<method>; 0 = no refit).")
    int refitSeeds;
    @Option(names = "--out", description = "Search directory (default: orca-runs/tune-<task>-<time>).")
    Path out;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the interrupted search in DIR with the settings saved in DIR/run.json.")
    Path resume;

    @Spec
    CommandSpec spec;

    private boolean resuming;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return resumeSearch();
        var parsed = spec.commandLine().getParseResult();
        for (var e : SEARCHED.entrySet()) {
            if (parsed.hasMatchedOption(e.getKey())) {
                throw new IllegalArgumentException(e.getKey() + " is searched by orca tune; to fix its value use --space '" + e.getValue() + "=VALUE'");
            }
        }
        for (String f : SET_BY_SEARCH) {
            if (parsed.hasMatchedOption(f)) {
                throw new IllegalArgumentException(f + " is set by orca tune (" + (f.equals("--threads") ? "use --threads-per-trial" : "use --min-epochs/--max-epochs") + ")");
            }
        }
        return execute();
    }

    private int resumeSearch() throws Exception {
        TuneCommand again = CliSettings.reparseSaved(spec, resume, "tune", java.util.Set.of("--resume"), new TuneCommand());
        again.out = resume;
        again.resuming = true;
        System.out.println("resuming the search in " + resume);
        return again.execute();
    }

    private int execute() throws Exception {
        List<OrcaRun.Method> ms = new ArrayList<>();
        for (String m : methods) {
            OrcaRun.Method parsed = OrcaRun.Method.parse(m);
            if (ms.contains(parsed)) throw new IllegalArgumentException("--methods: " + m + " is listed twice");
            ms.add(parsed);
        }
        Asha.Settings budget = new Asha.Settings(trials, minEpochs, maxEpochs, eta);
        SearchSpace searchSpace = SearchSpace.parse(space, SearchSpace.paper());
        Search.Order searchOrder = Search.Order.parse(order);
        if (executor.equals("local") && !executorOptions().isEmpty()) throw new IllegalArgumentException("--executor-option applies to a non-local --executor");
        if (!executor.equals("local")) dev.orcaj.tune.TrialExecutorFactory.find(executor); // fail before any work
        FlagChecks.atLeast("--parallel", parallel, 0);
        FlagChecks.atLeast("--threads-per-trial", threadsPerTrial, 0);
        FlagChecks.atLeast("--refit-seeds", refitSeeds, 0);
        int cores = Runtime.getRuntime().availableProcessors();
        int p = parallel > 0 ? parallel : Math.max(1, cores / 2);
        int k = threadsPerTrial > 0 ? threadsPerTrial : Math.max(1, cores / p);
        train.check();
        optimizer.check();
        align.check();
        if (out != null && !resuming) OutputPaths.requireWritableDirectory("--out", out, "run.json, tune.json, tune.md and one folder per method");
        TaskLoader.LoadedTask t = task.load();
        model.check(t.spec());
        dev.orcaj.models.Body body = model.bodies().get(); // its sequence limit turns target sequence lengths into patches
        if (ms.contains(OrcaRun.Method.ORCA)) {
            // once here: a bad --source fails before any trial, and the trials find the features in the cache (wordnet, images)
            align.source().features(body, model.body, task.seed, System.out);
        }
        TaskOptions.printSplits(t, task.valFraction);
        List<String> rungs = new ArrayList<>();
        for (int r = 0; r <= budget.topRung(); r++) rungs.add(Integer.toString(budget.rungEpochs(r)));
        System.out.println("ASHA: " + trials + " trials per method, rungs of " + String.join("/", rungs) + " epochs, eta " + eta + ", " + p + " in parallel x "
                + k + " threads, " + searchOrder.name().toLowerCase(Locale.ROOT) + " order; space " + searchSpace + " (" + searchSpace.size() + " configurations)");
        Path dir = out != null ? out : Path.of("orca-runs", "tune-" + t.spec().name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Set<String> notSaved = new HashSet<>(SEARCHED.keySet());
        notSaved.addAll(SET_BY_SEARCH);
        notSaved.addAll(Set.of("--resume", "--out"));
        Map<String, String> settings = CliSettings.of(spec, notSaved);
        if (!resuming) {
            if (Files.exists(dir.resolve(CliSettings.RUN_FILE))) throw new IllegalArgumentException("--out " + dir + " already holds a run or search; continue it with --resume " + dir + " or choose another --out");
            Files.createDirectories(dir);
            dev.orcaj.orca.RunFile.write(dir, "tune", settings);
        }
        Set<String> notExperiment = new HashSet<>(notSaved);
        notExperiment.addAll(TUNE_ONLY);
        List<TuneReport.MethodSearch> searches = new ArrayList<>();
        TuneReport.Setup setup = new TuneReport.Setup(budget, searchSpace, task.seed, searchOrder, p, k, executor, CliSettings.of(spec, notExperiment));
        for (OrcaRun.Method m : ms) {
            String name = m.name().toLowerCase(Locale.ROOT);
            Map<String, String> experiment = new LinkedHashMap<>(CliSettings.of(spec, notExperiment));
            experiment.put("--methods", name);
            experiment.put("--threads", Integer.toString(k));
            System.out.println("== search: " + name);
            searches.add(search(dir, name, experiment, setup, t, body));
        }
        List<TuneReport.Best> bests = searches.stream().map(TuneReport.MethodSearch::best).toList();
        writeSummary(dir, bests);
        TuneReport.writeHtml(dir, setup, searches);
        System.out.println();
        for (TuneReport.Best b : bests) {
            System.out.println(b == null ? "  (a method had no finished trial)" : String.format(Locale.ROOT, "best %s: %s, validation score %.4g %s%s", b.method(), b.config(), b.score(), b.validation(),
                    b.test().isEmpty() ? "" : ", test " + b.test()));
        }
        if (refitSeeds > 0) refit(dir, bests);
        System.out.println("report: " + dir.toAbsolutePath().resolve(TuneReport.HTML_FILE) + "; trial tables: " + dir.toAbsolutePath().resolve(TuneReport.TABLE_FILE)
                + " and <method>/" + TuneReport.TABLE_FILE);
        return 0;
    }

    private TuneReport.MethodSearch search(Path dir, String method, Map<String, String> experiment, TuneReport.Setup setup, TaskLoader.LoadedTask t,
                                           dev.orcaj.models.Body body) throws Exception {
        Asha.Settings budget = setup.budget();
        SearchSpace searchSpace = setup.space();
        Search.Order searchOrder = setup.order();
        int p = setup.parallel(), k = setup.threadsPerTrial();
        Path mdir = dir.resolve(method);
        Files.createDirectories(mdir);
        Map<String, String> searchSettings = new LinkedHashMap<>();
        searchSettings.put("experiment", JSON.writeValueAsString(new java.util.TreeMap<>(experiment)));
        searchSettings.put("budget", budget.toString());
        searchSettings.put("space", searchSpace.toString());
        searchSettings.put("seed", Long.toString(task.seed));
        searchSettings.put("order", searchOrder.name());
        searchSettings.put("parallel", Integer.toString(p));
        try (TrialStore store = TrialStore.open(mdir);
             TrialExecutor ex = executor.equals("local") ? new LocalTrialExecutor(localRunner(p, k), p)
                     : dev.orcaj.tune.TrialExecutorFactory.find(executor).create(p, k, executorOptions())) {
            Map<String, String> saved = store.settings();
            if (!saved.isEmpty() && !saved.equals(new java.util.TreeMap<>(searchSettings))) {
                throw new IllegalArgumentException(mdir.resolve(TrialStore.FILE) + " holds a search with other settings (" + firstDifference(saved, searchSettings) + "); refusing to mix them");
            }
            store.saveSettings(searchSettings);
            Search.Result r = new Search(budget, searchSpace, task.seed, dir.getFileName() + "/" + method, experiment,
                    c -> c.runFlags(t.spec(), body), mdir, store, ex, searchOrder, System.out).run();
            TuneReport.Best best = r.best() == null ? null : best(method, r, store, mdir, experiment, budget, t, body);
            TuneReport.MethodSearch written = TuneReport.write(mdir, method, setup, store, best);
            dropStates(mdir, r.best());
            return written;
        }
    }

    /**
     * One trial at a time runs in this JVM with {@code k} threads (a warm JIT and no JVM start per rung); several at
     * once each get a child JVM with its own thread pool and share of the heap.
     */
    private static TrialRunner localRunner(int p, int k) {
        if (p > 1) return new ChildJvmTrialRunner(TrialMain.class.getName(), k, ChildJvmTrialRunner.heapShare(Runtime.getRuntime().maxMemory(), p));
        CpuPool.setThreads(k);
        return new InProcessTrialRunner(RunCommand::rungExperimentOf);
    }

    /**
     * The search's answer with its run flags; when the best trial trained the whole R epochs, also its test metrics
     * (of the best-validated epoch, re-read from the trial's state: reported, never used to choose).
     */
    private static TuneReport.Best best(String method, Search.Result r, TrialStore store, Path mdir, Map<String, String> experiment, Asha.Settings budget,
                                        TaskLoader.LoadedTask t, dev.orcaj.models.Body body) throws Exception {
        TrialStore.Rung top = null;
        for (TrialStore.Rung row : store.rungs()) {
            if (row.trialId().equals(r.best()) && row.status() == TrialStore.Status.DONE && (top == null || row.rung() > top.rung())) top = row;
        }
        if (top == null) throw new IllegalStateException("the best trial " + r.best() + " has no finished rung in the store");
        Map<String, String> flags = r.bestConfig().runFlags(t.spec(), body);
        Map<String, Double> test = Map.of();
        if (top.epochs() == budget.maxEpochs()) {
            test = OrcaTrialRunner.train(RunCommand::experimentOf, experiment, flags, budget.maxEpochs(), budget.maxEpochs(),
                    mdir.resolve("trials").resolve(r.best()), null).outcome().refine().test();
        }
        return new TuneReport.Best(method, r.best(), r.bestConfig(), flags, top.rung(), top.epochs(), top.score(), top.validation(), test);
    }

    /**
     * A finished search keeps only its best trial's state: each trial's state is the whole model with optimizer state
     * and best-epoch snapshot (about 210 MB for MiniLM), and no other trial can be promoted any more.
     */
    private static void dropStates(Path mdir, String best) throws java.io.IOException {
        Path trialsDir = mdir.resolve("trials");
        if (!Files.isDirectory(trialsDir)) return;
        try (var dirs = Files.list(trialsDir)) {
            for (Path d : dirs.toList()) {
                if (!d.getFileName().toString().equals(best)) Files.deleteIfExists(d.resolve(dev.orcaj.orca.Experiment.TRIAL_STATE));
            }
        }
    }

    private Map<String, String> executorOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String o : executorOptions) {
            if (o.isEmpty()) continue; // an empty list saved in run.json reads back as one empty value
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--executor-option: expected KEY=VALUE, got '" + o + "'");
            m.put(o.substring(0, eq), o.substring(eq + 1));
        }
        return m;
    }

    private static String firstDifference(Map<String, String> saved, Map<String, String> now) {
        for (var e : now.entrySet()) {
            if (!e.getValue().equals(saved.get(e.getKey()))) return e.getKey() + " was " + saved.get(e.getKey()) + ", now " + e.getValue();
        }
        return "keys " + saved.keySet() + " vs " + now.keySet();
    }

    private void writeSummary(Path dir, List<TuneReport.Best> bests) throws java.io.IOException {
        byte[] json = JSON.writeValueAsBytes(Map.of("methods", bests));
        AtomicFiles.write(dir.resolve(TuneReport.JSON_FILE), o -> o.write(json));
        StringBuilder md = new StringBuilder("# orca tune: best configuration per method\n\n| method | best trial | rung (epochs) | validation score | validation | test | configuration |\n|---|---|---|---|---|---|---|\n");
        for (TuneReport.Best b : bests) {
            if (b == null) continue;
            md.append(String.format(Locale.ROOT, "| %s | %s | %d (%d) | %.4g | %s | %s | `%s` |%n", b.method(), b.trial(), b.rung(), b.epochs(), b.score(), b.validation(),
                    b.test().isEmpty() ? "-" : b.test(), b.config()));
        }
        md.append("\nPer-method trial tables: <method>/").append(TuneReport.TABLE_FILE).append('\n');
        byte[] bytes = md.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(TuneReport.TABLE_FILE), o -> o.write(bytes));
    }

    /** {@code orca run} of each method's best configuration for R epochs with --refit-seeds seeds. */
    private void refit(Path dir, List<TuneReport.Best> bests) throws Exception {
        Set<String> skip = new HashSet<>(TUNE_ONLY);
        skip.addAll(SEARCHED.keySet());
        skip.addAll(SET_BY_SEARCH);
        for (TuneReport.Best b : bests) {
            if (b == null) continue;
            Path refitDir = dir.resolve("refit-" + b.method());
            if (resuming && Files.exists(refitDir.resolve("metrics.json"))) continue;
            List<String> args = new ArrayList<>(List.of("run"));
            if (Files.exists(refitDir.resolve(CliSettings.RUN_FILE))) { // started before an interruption
                args.addAll(List.of("--resume", refitDir.toString()));
            } else {
                args.addAll(CliSettings.toArgs(spec, CliSettings.of(spec, skip)));
                b.flags().forEach((f, v) -> { args.add(f); args.add(v); });
                args.addAll(List.of("--methods", b.method(), "--epochs", Integer.toString(maxEpochs), "--seeds", Integer.toString(refitSeeds), "--out", refitDir.toString()));
            }
            System.out.println("== refit " + b.method() + ": orca " + String.join(" ", args));
            int code = OrcaCli.run(args.toArray(String[]::new));
            if (code != 0) throw new IllegalStateException("the refit of " + b.method() + " failed (exit " + code + "); see above");
        }
    }
}
