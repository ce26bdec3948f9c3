package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.orca.baselines.Reference;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One experiment end to end: a loaded task, a pretrained body, the source proxy of stage 2, and every method of
 * {@link Settings#methods()} run with every seed. {@link #run} owns a run directory:
 * <ul>
 *   <li>{@value RunFile#NAME}: the recorded settings (written on a fresh start, read back by whoever resumes);</li>
 *   <li>{@code models/<name>-seed<S>.safetensors}: each finished run's selected model, with its outcome;</li>
 *   <li>{@code checkpoints/<name>-seed<S>.safetensors}: the checkpoint of the run in progress;</li>
 *   <li>{@code metrics.json} and {@code report.html} ({@link Report}), rewritten after every run, so a crash keeps
 *       what finished.</li>
 * </ul>
 * On resume a finished model counts only if it was written under the same recorded settings for the same task; a
 * checkpoint continues only under the same settings. {@link #trial} runs one method with one seed under overridden
 * stage-3 settings for a search, and continues it to more epochs later. Nothing here parses flags: the CLI builds
 * the settings, and the recorded settings are whatever text the caller wants compared on resume.
 */
public final class Experiment {
    /** One run of an experiment: {@code name} is the method's file name (e.g. "finetune-warm", "orca-fpt"). */
    public record RunKey(String name, OrcaRun.Method method, long seed) {}

    /**
     * What an experiment runs: the methods, {@code seeds} seeds from {@code seed} on, and the settings every run
     * shares (those of {@link OrcaRun.Settings}); {@code train}'s seed is replaced by each run's.
     */
    public record Settings(List<OrcaRun.Method> methods, long seed, int seeds, Objective objective, int alignEpochs, int maxSamples,
                           int patch, boolean pooledDense, boolean warmInit, TrainConfig train) {
        public Settings {
            methods = List.copyOf(methods);
            if (methods.isEmpty()) throw new IllegalArgumentException("--methods: expected at least one of orca, finetune, scratch");
            if (new java.util.HashSet<>(methods).size() != methods.size()) {
                throw new IllegalArgumentException("--methods " + methods + " names a method twice: its runs would share one model file");
            }
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            if (alignEpochs < 0) throw new IllegalArgumentException("--align-epochs must be >= 0, got " + alignEpochs);
            if (maxSamples < 1) throw new IllegalArgumentException("--max-samples must be >= 1, got " + maxSamples);
            if (patch < 0) throw new IllegalArgumentException("--patch must be >= 0, got " + patch);
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(train, "train");
        }

        /** The settings of one run. */
        public OrcaRun.Settings forRun(OrcaRun.Method method, long runSeed) {
            return new OrcaRun.Settings(method, objective, alignEpochs, maxSamples, patch, pooledDense, train.withSeed(runSeed), warmInit);
        }

        /** The run's key: the method's lower-case name, "-warm" for a warm-started fine-tuning baseline, "-fpt" for LayerNorm-only training. */
        public RunKey key(OrcaRun.Method method, long runSeed) { return new RunKey(runName(method, warmInit, train.layerNormOnly()), method, runSeed); }

        /** These settings with the stage-3 hyperparameters (and embedder patch) a search varies replaced by {@code h}. */
        public Settings with(Hyperparameters h) {
            TrainConfig t = train;
            TrainConfig n = new TrainConfig(h.optimizer(), h.lr(), h.weightDecay(), t.momentum(), t.epochs(), h.batchSize(), t.accum(), h.clip(), t.warmupEpochs(),
                    t.decayEpochs(), t.layerNormOnly(), h.dropout(), t.classWeighted(), t.posWeight(), t.seed(), t.selection(), t.dropPath());
            return new Settings(methods, seed, seeds, objective, alignEpochs, maxSamples, h.patch(), pooledDense, warmInit, n);
        }

        /** The stage-3 hyperparameters of these settings. */
        public Hyperparameters hyperparameters() {
            return new Hyperparameters(train.optimizer(), train.lr(), train.weightDecay(), train.batchSize(), train.clip(), train.dropout(), patch);
        }
    }

    /**
     * The search space of the paper's appendix (ASHA): optimizer, learning rate, weight decay, batch size, gradient
     * clipping (<= 0: none), dropout (0: the body's own) and the embedder's kernel {@code patch}, which fixes the
     * target sequence length (0: the smallest that fits the body).
     */
    public record Hyperparameters(OptimizerKind optimizer, double lr, double weightDecay, int batchSize, double clip, double dropout, int patch) {}

    /** A finished run: its outcome and model file (null when the output saves no models); {@code earlier} when a previous process finished it (found on resume). */
    public record RunResult(RunKey key, OrcaRun.Outcome outcome, Path model, boolean earlier) {}

    /** Every run of the experiment in the order run, and where the files are. */
    public record Result(Path dir, TaskSpec task, String data, List<RunResult> runs) {
        public Path metrics() { return dir.resolve("metrics.json"); }

        public Path report() { return dir.resolve("report.html"); }
    }

    /**
     * Where and how {@link #run} keeps its runs.
     *
     * @param dir             the run directory (created; locked while the experiment runs, see {@link RunDirectory})
     * @param resume          continue an interrupted experiment in {@code dir}: finished runs are taken, checkpoints continued
     * @param checkpointEvery also checkpoint every N optimizer steps (0: after stage 2 and each stage-3 epoch only)
     * @param recorded        the settings as text, written to {@value RunFile#NAME} and into every checkpoint and model
     * @param mayDiffer       keys of {@code recorded} that may differ on resume (e.g. threads, checkpoint frequency)
     * @param reportSettings  the settings block of metrics.json; null: {@link Experiment#reportSettings()}
     * @param saveModels      false: no checkpoints and no model files, only metrics.json and the report (a caller that
     *                        keeps the returned results and deletes {@code dir}, such as a suite cell; nothing to resume)
     */
    public record Output(Path dir, boolean resume, int checkpointEvery, Map<String, String> recorded, Set<String> mayDiffer, Map<String, Object> reportSettings,
                         boolean saveModels) {
        public Output {
            if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
            if (resume && !saveModels) throw new IllegalArgumentException("an output without checkpoints or models cannot be resumed");
            recorded = Map.copyOf(recorded);
            mayDiffer = Set.copyOf(mayDiffer);
        }

        /** Checkpoints and models saved. */
        public Output(Path dir, boolean resume, int checkpointEvery, Map<String, String> recorded, Set<String> mayDiffer, Map<String, Object> reportSettings) {
            this(dir, resume, checkpointEvery, recorded, mayDiffer, reportSettings, true);
        }

        /** The same output without checkpoints or model files. */
        public Output withoutModels() { return new Output(dir, false, checkpointEvery, recorded, mayDiffer, reportSettings, false); }
    }

    /**
     * One search trial: {@code method} with {@code seed} under {@code hyperparameters}, trained to {@code epochs}
     * stage-3 epochs of a learning-rate schedule spanning {@code maxEpochs}, its state kept in {@code workDir}.
     */
    public record Trial(OrcaRun.Method method, long seed, Hyperparameters hyperparameters, int epochs, int maxEpochs, Path workDir) {
        public Trial {
            if (epochs < 1 || maxEpochs < epochs) throw new IllegalArgumentException("trial: expected 1 <= epochs <= maxEpochs, got " + epochs + " of " + maxEpochs);
        }
    }

    /**
     * A trial trained to {@code epochs}: {@code score} is the selection score of its best-validated epoch so far
     * (higher is better; errors negated, see {@link ModelSelection#score}), {@code validation} that epoch's metrics.
     * {@code outcome} holds the rest (test metrics included: a search must not select on them).
     */
    public record TrialResult(RunKey key, int epochs, double score, Map<String, Double> validation, OrcaRun.Outcome outcome, Path state) {}

    /** The trial state file in a trial's work directory. */
    public static final String TRIAL_STATE = "trial.safetensors";

    private final TaskLoader.LoadedTask task;
    private final String bodyName;
    private final Supplier<Body> bodies;
    private final SourceSpec source;
    private final Settings settings;
    private final Function<RunKey, RunEvents> listeners;
    private final PrintStream log;
    private SourceFeatures sourceFeatures;
    /** The body the source proxy read (it changes nothing in it): the next run that needs a body takes it instead of loading one. */
    private Body spareBody;
    /** Bodies for the scratch baseline without pretrained weights ({@link BodySource#scratchBodies}); null: fresh pretrained ones. */
    private Supplier<Body> scratchBodies;
    private Map<String, Object> reportBlocks = Map.of();
    /** The first seed's ORCA model after stage 2, when it was aligned already ({@link #withAligned}); taken by that run. */
    private OrcaRun.Aligned aligned;
    private Reference reference;

    /**
     * @param bodyName the body's name (minilm, or the directory/file it was loaded from): the text source proxy finds its tokenizer by it
     * @param bodies   a fresh pretrained body on each call
     * @param source   the stage-2 source proxy; used only when ORCA is among the methods
     */
    public Experiment(TaskLoader.LoadedTask task, String bodyName, Supplier<Body> bodies, SourceSpec source, Settings settings) {
        this(task, bodyName, bodies, source, settings, key -> RunEvents.NONE, System.out);
    }

    private Experiment(TaskLoader.LoadedTask task, String bodyName, Supplier<Body> bodies, SourceSpec source, Settings settings,
                       Function<RunKey, RunEvents> listeners, PrintStream log) {
        this.task = task;
        this.bodyName = bodyName;
        this.bodies = bodies;
        this.source = source;
        this.settings = settings;
        this.listeners = listeners;
        this.log = log;
    }

    /**
     * The same experiment, each run's structured events going to the listener {@code listeners} returns for its key:
     * asked once per run that trains, before it starts, in {@link #run} (not for runs a resume finds finished) and
     * in every {@link #trial} call; e.g. a TensorBoard writer per run. A listener that is also {@link AutoCloseable}
     * is closed when its run ends, normally or not.
     */
    public Experiment withListeners(Function<RunKey, RunEvents> listeners) {
        return copy(listeners, log);
    }

    /** The same experiment printing its progress to {@code out} (null: silent). */
    public Experiment withLog(PrintStream out) { return copy(listeners, out); }

    private Experiment copy(Function<RunKey, RunEvents> l, PrintStream out) {
        Experiment e = new Experiment(task, bodyName, bodies, source, settings, l, out);
        e.sourceFeatures = sourceFeatures;
        e.reportBlocks = reportBlocks;
        e.scratchBodies = scratchBodies;
        e.aligned = aligned;
        return e;
    }

    /**
     * The same experiment building the scratch baseline's body with {@code bodies} (null: a fresh pretrained body, as
     * every other method), which must give, after {@link Body#reinitialize}, the body a pretrained one gives: e.g.
     * {@link BodySource#scratchBodies}, which skips reading weights that reinitialize overwrites.
     */
    public Experiment withScratchBodies(Supplier<Body> bodies) {
        Experiment e = copy(listeners, log);
        e.scratchBodies = bodies;
        return e;
    }

    /** The same experiment adding the top-level block {@code key} to metrics.json (e.g. "body_selection", {@link BodySelection}). */
    public Experiment withReportBlock(String key, Object value) {
        Experiment e = copy(listeners, log);
        Map<String, Object> blocks = new LinkedHashMap<>(reportBlocks);
        blocks.put(key, value);
        e.reportBlocks = java.util.Collections.unmodifiableMap(blocks);
        return e;
    }

    /**
     * The same experiment whose first-seed ORCA run starts from {@code aligned}, the body's model after stages 1 and 2
     * under these settings with the source proxy {@code features} ({@link BodySelection.Result#chosenAligned()}), instead
     * of aligning again; a run that resumes from a checkpoint ignores it. Without an ORCA method both are dropped.
     */
    public Experiment withAligned(OrcaRun.Aligned aligned, SourceFeatures features) {
        if (!settings.methods().contains(OrcaRun.Method.ORCA)) return this;
        Experiment e = withSource(features);
        e.aligned = aligned;
        return e;
    }

    /**
     * The same experiment aligning to {@code features} (already built, e.g. shared by several experiments) instead of
     * building them from its {@link SourceSpec}.
     */
    public Experiment withSource(SourceFeatures features) {
        Experiment e = copy(listeners, log);
        e.sourceFeatures = features;
        return e;
    }

    public Settings settings() { return settings; }

    public TaskLoader.LoadedTask task() { return task; }

    /**
     * The task's reference baselines (trivial and linear, {@link Reference}), fitted on first use; the linear model's L2
     * strength is chosen under the runs' selection metric.
     */
    public synchronized Reference reference() {
        if (reference == null) reference = reference(task, settings.train().selection(), settings.seed());
        return reference;
    }

    /**
     * The reference baselines of {@code task} with the linear model's L2 strength chosen under {@code selection} (null:
     * the task family's default), for callers with one run and no experiment ({@code orca finetune}).
     */
    public static Reference reference(TaskLoader.LoadedTask task, ModelSelection selection, long seed) {
        ModelSelection s = selection != null ? selection : ModelSelection.defaults(task.spec(), task.tabular());
        return Reference.compute(task.spec(), task.train(), task.val(), task.test(), s, seed);
    }

    /**
     * An {@link Output} for callers without command-line flags (a suite): checkpoints after stage 2 and each epoch,
     * and as recorded settings the task, body, typed settings and source proxy, so a resume in {@code dir} continues
     * only the same experiment.
     */
    public Output output(Path dir, boolean resume) {
        Map<String, String> recorded = new LinkedHashMap<>();
        recorded.put("task", task.description() + " " + task.spec());
        recorded.put("body", bodyName);
        recorded.put("settings", settings.toString());
        if (settings.methods().contains(OrcaRun.Method.ORCA)) recorded.put("source", source != null ? source.toString() : source().description());
        return new Output(dir, resume, 0, recorded, Set.of(), null);
    }

    /** Every method with every seed, in {@code out.dir()}; see the class comment. */
    public Result run(Output out) throws IOException {
        Path dir = out.dir();
        if (settings.methods().contains(OrcaRun.Method.ORCA)) source();
        List<RunResult> done = new ArrayList<>();
        try (RunDirectory owned = RunDirectory.open(dir)) {
            if (!out.resume()) RunFile.write(dir, "run", out.recorded());
            try {
                runAll(out, done);
            } catch (Throwable e) {
                owned.discardIfNothingUseful(!out.resume());
                throw e;
            }
        }
        return new Result(dir, task.spec(), task.description(), List.copyOf(done));
    }

    private void runAll(Output out, List<RunResult> done) throws IOException {
        Path dir = out.dir(), runFile = dir.resolve(RunFile.NAME);
        Map<String, Object> reportSettings = out.reportSettings() != null ? out.reportSettings() : reportSettings();
        Reference reference = reference();
        if (log != null) Report.comparison(settings.train().selection() != null ? settings.train().selection().metric()
                : ModelSelection.defaultMetric(task.spec(), task.tabular()), List.of(), reference).forEach(log::println);
        List<Report.Entry> entries = new ArrayList<>();
        for (long s = settings.seed(); s < settings.seed() + settings.seeds(); s++) {
            for (OrcaRun.Method m : settings.methods()) {
                RunKey key = settings.key(m, s);
                Path modelFile = modelFile(dir, key), checkpointFile = checkpointFile(dir, key);
                Checkpoint.Loaded finished = out.resume() && Files.exists(modelFile) ? finishedModel(modelFile, out) : null;
                OrcaRun.Outcome o;
                if (finished != null) {
                    o = finished.state().outcome();
                    say("  " + m + " seed " + s + ": finished before the interruption (" + modelFile + ")");
                } else {
                    Checkpoint.Loaded from = out.resume() && Files.exists(checkpointFile) ? Checkpoint.read(checkpointFile) : null;
                    if (from != null) {
                        requireSameSettings(from, out);
                        say("  " + m + " seed " + s + ": resuming from " + describe(from.state()));
                    }
                    OrcaRun.Settings runSettings = settings.forRun(m, s);
                    Checkpointer checkpointer = out.saveModels() ? new Checkpointer(checkpointFile, modelFile, out.checkpointEvery(), out.recorded(), runFile) : Checkpointer.NONE;
                    OrcaRun.Aligned alignedStart = takeAligned(m, s, from);
                    o = listened(key, progress -> alignedStart != null ? OrcaRun.runAligned(task.spec(), task.train(), task.val(), task.test(), alignedStart, runSettings, progress, checkpointer)
                            : OrcaRun.run(task.spec(), task.train(), task.val(), task.test(), bodiesFor(m),
                            () -> AlignmentLoss.create(settings.objective(), source()), runSettings, progress, checkpointer, from));
                }
                ReportPredictions drawn = o.refine().predictions() != null ? o.refine().predictions() // null where a resume found the run finished
                        : ReportPredictions.ofSavedModel(modelFile, task.spec(), task.test());
                entries.add(new Report.Entry(key.name(), s, o, drawn));
                done.add(new RunResult(key, o, out.saveModels() ? modelFile : null, finished != null));
                say("  " + m + " seed " + s + ": test " + o.refine().test());
                Checkpointer.requirePresent(runFile);
                Report.write(dir, task, entries, reportSettings, reference, reportBlocks); // rewritten after every run: a crash keeps what finished
            }
        }
    }

    /** The model {@link #withAligned} gave for the run of {@code m} with {@code seed}, taken once; null for other runs and for one continuing a checkpoint. */
    private OrcaRun.Aligned takeAligned(OrcaRun.Method m, long seed, Checkpoint.Loaded from) {
        if (m != OrcaRun.Method.ORCA || seed != settings.seed()) return null;
        OrcaRun.Aligned a = from == null ? aligned : null;
        aligned = null; // that run trains it; a checkpoint's run has its own
        return a;
    }

    /** Where {@link #run} keeps the finished model of {@code key}. */
    public static Path modelFile(Path dir, RunKey key) { return dir.resolve("models").resolve(key.name() + "-seed" + key.seed() + ".safetensors"); }

    /** Where {@link #run} keeps the checkpoint of {@code key} while it runs. */
    public static Path checkpointFile(Path dir, RunKey key) { return dir.resolve("checkpoints").resolve(key.name() + "-seed" + key.seed() + ".safetensors"); }

    /** A run's file name: see {@link Settings#key}. */
    public static String runName(OrcaRun.Method method, boolean warmInit, boolean layerNormOnly) {
        return method.name().toLowerCase(Locale.ROOT) + (warmInit && method == OrcaRun.Method.FINETUNE ? "-warm" : "") + (layerNormOnly ? "-fpt" : "");
    }

    /**
     * Trains {@code t.method()} with {@code t.seed()} under {@code t.hyperparameters()} to {@code t.epochs()} stage-3
     * epochs of a schedule spanning {@code t.maxEpochs()} (warmup and linear decay to 0 at maxEpochs, so every budget
     * shares the same learning-rate prefix). The state after the last epoch is kept in
     * {@code workDir/}{@value #TRIAL_STATE}; calling again with a larger budget (same everything else) CONTINUES from
     * it, and the result is bitwise that of one uninterrupted trial with the larger budget (same threads): batch order,
     * dropout masks, learning rates and the best-epoch selection do not depend on where a process stopped. A trial
     * killed mid-way starts again from the state its previous budget left (or from the beginning). A budget below the epochs already trained is
     * refused; an equal one trains nothing and evaluates again. A work directory holding another trial (any setting
     * but the budget differs) is refused.
     */
    public TrialResult trial(Trial t) throws IOException {
        Settings s = settings.with(t.hyperparameters());
        TrainConfig budget = s.train().withSchedule(t.epochs(), t.maxEpochs()).withSeed(t.seed());
        OrcaRun.Settings run = new OrcaRun.Settings(t.method(), s.objective(), s.alignEpochs(), s.maxSamples(), s.patch(), s.pooledDense(), budget, s.warmInit());
        Map<String, String> recorded = trialIdentity(run, t.maxEpochs());
        Files.createDirectories(t.workDir());
        Path state = t.workDir().resolve(TRIAL_STATE);
        Checkpoint.Loaded from = null;
        if (Files.exists(state)) {
            from = Checkpoint.read(state);
            String why = differ(from.settings(), recorded, Set.of());
            if (why != null) throw new IllegalArgumentException(state + " belongs to another trial: it " + why + "; use a fresh work directory");
            if (from.state().stage() == Checkpoint.Stage.REFINE) {
                int trained = from.state().refine().epoch() - 1;
                if (trained > t.epochs()) throw new IllegalArgumentException(state + ": the trial has trained " + trained + " epochs, more than the budget of " + t.epochs());
            }
        }
        if (t.method() == OrcaRun.Method.ORCA && s.alignEpochs() > 0) source();
        RunKey key = s.key(t.method(), t.seed());
        Checkpoint.Loaded start = from;
        OrcaRun.Outcome o = listened(key, progress -> OrcaRun.run(task.spec(), task.train(), task.val(), task.test(), bodiesFor(t.method()),
                () -> AlignmentLoss.create(s.objective(), source()), run, progress, Checkpointer.continuable(state, recorded), start));
        double score = new ModelSelection(o.refine().selectMetric(), o.refine().reported()).score(o.refine().validation());
        return new TrialResult(key, t.epochs(), score, o.refine().validation(), o, state);
    }

    /** What a trial's state must agree on to be continued: everything but the epoch budget. */
    private Map<String, String> trialIdentity(OrcaRun.Settings run, int maxEpochs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("task", task.description() + " " + task.spec());
        m.put("body", bodyName);
        m.put("settings", new OrcaRun.Settings(run.method(), run.objective(), run.alignEpochs(), run.maxSamples(), run.patch(), run.pooledDense(),
                run.train().withSchedule(maxEpochs, maxEpochs), run.warmInit()).toString());
        if (run.method() == OrcaRun.Method.ORCA) m.put("source", source != null ? source.toString() : source().description());
        return m;
    }

    /** The source proxy's features, built on first use (cached on disk by {@link SourceProxy}); trials may ask from several threads. */
    private synchronized SourceFeatures source() {
        if (sourceFeatures == null) {
            if (source == null) throw new IllegalArgumentException("method orca needs a source proxy (--source)");
            try {
                Body body = bodies.get();
                boolean training = body.module().isTraining();
                sourceFeatures = source.features(body, bodyName, settings.seed(), log != null ? log : new PrintStream(java.io.OutputStream.nullOutputStream()));
                body.module().train(training); // as fresh again: the proxy only read its embedding layer, without recording
                spareBody = body;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sourceFeatures;
    }

    /** Where a run of {@code method} gets its body. */
    private Supplier<Body> bodiesFor(OrcaRun.Method method) {
        return method == OrcaRun.Method.SCRATCH && scratchBodies != null ? scratchBodies : this::freshBody;
    }

    /** A fresh pretrained body: the one the source proxy read if no run has taken it yet (saves a load, ~1 s for MiniLM), else a new one. */
    private synchronized Body freshBody() {
        Body b = spareBody;
        spareBody = null;
        return b != null ? b : bodies.get();
    }

    /** Runs {@code run} with the listener of {@code key}; a listener that is {@link AutoCloseable} is closed when the run ends, also on failure. */
    private OrcaRun.Outcome listened(RunKey key, Function<Progress, OrcaRun.Outcome> run) {
        RunEvents listener = Objects.requireNonNull(listeners.apply(key), "listener for " + key);
        try {
            return run.apply(new Progress(log).withEvents(listener));
        } finally {
            if (listener instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) { // a listener never stops the experiment (RunEvents)
                    System.err.println("orca: warning: the event listener of " + key.name() + " seed " + key.seed() + " failed to close: " + e.getMessage());
                }
            }
        }
    }

    private void say(String line) { if (log != null) log.println(line); }

    /**
     * A model file found on resume counts as this run's result only if it is a finished run written under the same
     * settings for the same task; otherwise (e.g. left by an earlier run in a reused directory) it is set aside with a
     * message, the method continues from its checkpoint or from the start, and the file is replaced when it ends.
     */
    private Checkpoint.Loaded finishedModel(Path modelFile, Output out) throws IOException {
        Checkpoint.Loaded m = Checkpoint.read(modelFile);
        String why = m.state().stage() != Checkpoint.Stage.DONE ? "it is not a finished run (stage " + m.state().stage() + ")" : differ(m.settings(), out.recorded(), out.mayDiffer());
        if (why == null) {
            try {
                m.requireTask(task.spec(), "this run's data");
            } catch (IllegalArgumentException e) {
                why = "it was built for task " + m.task() + ", this run's task is " + task.spec();
            }
        }
        if (why == null) return m;
        say("  ignoring " + modelFile + ": " + why + "; it is not this run's result and will be replaced");
        return null;
    }

    /** A checkpoint continues only under the settings it was written with ({@link Output#mayDiffer()} aside). */
    private static void requireSameSettings(Checkpoint.Loaded from, Output out) {
        String why = differ(from.settings(), out.recorded(), out.mayDiffer());
        if (why != null) throw new IllegalArgumentException(from.file() + " " + why + " (was " + RunFile.NAME + " edited?)");
    }

    /** Null when {@code saved} holds {@code now}'s values (keys in {@code free} aside), else the first difference. */
    private static String differ(Map<String, String> saved, Map<String, String> now, Set<String> free) {
        for (var e : now.entrySet()) {
            if (free.contains(e.getKey())) continue;
            String then = saved.get(e.getKey());
            if (!e.getValue().equals(then)) return "was written with " + e.getKey() + " " + then + ", but the run now has " + e.getValue();
        }
        return null;
    }

    private static String describe(Checkpoint.State s) {
        return switch (s.stage()) {
            case ALIGN -> "stage 2, after epoch " + s.align().epochsDone();
            case REFINE -> "stage 3, epoch " + s.refine().epoch() + ", batch " + s.refine().batch();
            case DONE -> "the finished run";
        };
    }

    /** A settings block for metrics.json from the typed settings (callers with their own keys pass {@link Output#reportSettings()}). */
    public Map<String, Object> reportSettings() {
        TrainConfig t = settings.train();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", task.description()); m.put("body", bodyName);
        m.put("methods", settings.methods().stream().map(x -> x.name().toLowerCase(Locale.ROOT)).toList());
        m.put("objective", settings.objective().flag()); m.put("align_epochs", settings.alignEpochs()); m.put("max_samples", settings.maxSamples());
        m.put("patch", settings.patch()); m.put("pooled_dense", settings.pooledDense()); m.put("warm_init", settings.warmInit());
        m.put("optimizer", t.optimizer().flag()); m.put("lr", t.lr()); m.put("weight_decay", t.weightDecay()); m.put("epochs", t.epochs());
        m.put("batch_size", t.batchSize()); m.put("accum", t.accum()); m.put("clip", t.clip()); m.put("warmup_epochs", t.warmupEpochs());
        m.put("decay_epochs", t.decayEpochs()); m.put("drop_path", t.dropPath()); m.put("dropout", t.dropout()); m.put("layernorm_only", t.layerNormOnly());
        m.put("seed", settings.seed()); m.put("seeds", settings.seeds());
        if (source != null) { m.put("source", source.source()); m.put("source_classes", source.classes()); m.put("source_samples", source.samples()); }
        return m;
    }
}
