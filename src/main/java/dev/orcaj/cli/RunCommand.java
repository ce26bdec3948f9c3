package dev.orcaj.cli;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.models.Body;
import dev.orcaj.orca.AlignmentLoss;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.Checkpointer;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.Report;
import dev.orcaj.orca.ReportPredictions;
import dev.orcaj.orca.baselines.Reference;
import dev.orcaj.orca.SourceFeatures;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code orca run}: all three ORCA stages (and baselines) on one task, with progress, checkpoints and a report directory. */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Run ORCA (stage 1 embedder/predictor, stage 2 alignment, stage 3 refinement) and baselines on a task.",
                "",
                "Data kinds: ucr:DIR/NAME, arff:FILE[#label], csv:FILE#label, satellite:FILE, dna:FILE, npy:X.npy,Y.npy[,IGNORE.npy], npz:FILE.npz, darcy:DIR,",
                "pde:advection|burgers|diffusion-reaction|darcy[:RES[:N]], pdebench:FILE.h5[#field][@IN:OUT][/STRIDE]. Writes metrics.json and report.html to --out,",
                "the trained models to --out/models/<method>-seed<S>.safetensors and, while a run is in progress, its checkpoint",
                "to --out/checkpoints/ (after stage 2, after every stage-3 epoch and every --checkpoint-every optimizer steps)."},
        footer = {"%nExamples:",
                "  orca run --data ucr:data/ECG200 --methods orca,finetune --out runs/ecg",
                "  orca run --resume runs/ecg            (continue after an interruption, same settings, same results)"})
public final class RunCommand implements Callable<Integer> {
    /** Options that may accompany --resume: they do not change what is computed. */
    private static final Set<String> RESUME_OVERRIDES = Set.of("--resume", "--threads", "--checkpoint-every");

    @Mixin TaskOptions task;
    @Mixin ModelOptions model;
    @Option(names = "--methods", split = ",", defaultValue = "orca,finetune", description = "Comma list of orca, finetune, scratch (default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--seeds", defaultValue = "1", description = "Repeat every method with seeds seed .. seed+N-1 (default: ${DEFAULT-VALUE}).")
    int seeds;
    @Mixin AlignOptions align;
    @Mixin OptimizerOptions optimizer;
    @Mixin TrainOptions train;
    @Option(names = "--out", description = "Report directory (default: orca-runs/<task>-<time>).")
    Path out;
    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Also checkpoint every N optimizer steps (0 = only after stage 2 and each stage-3 epoch).")
    int checkpointEvery;
    @Option(names = "--preset", defaultValue = "none", description = "paper: the official configuration of the task's family (orca-spec section 8; see README) for every flag not given; none (default).")
    String preset;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the interrupted run in DIR (its --out) with the settings saved in DIR/run.json.")
    Path resume;

    @Spec
    CommandSpec spec;

    private boolean resuming;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return resumeRun();
        return execute();
    }

    /** Re-parses the settings saved in DIR/run.json into a fresh command and runs it in DIR, skipping finished work. */
    private int resumeRun() throws Exception {
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUME_OVERRIDES.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be combined with --resume: the run continues with the settings in "
                        + resume.resolve(CliSettings.RUN_FILE) + " (only --threads and --checkpoint-every may be given)");
            }
        }
        Map<String, String> saved = CliSettings.readRunFile(resume, "run");
        RunCommand again = new RunCommand();
        CommandLine cl = new CommandLine(again);
        try {
            cl.parseArgs(CliSettings.toArgs(cl.getCommandSpec(), saved).toArray(String[]::new));
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new IllegalArgumentException(resume.resolve(CliSettings.RUN_FILE) + ": saved settings do not parse: " + e.getMessage(), e);
        }
        var matched = spec.commandLine().getParseResult();
        if (matched.hasMatchedOption("--threads")) again.task.threads = task.threads;
        if (matched.hasMatchedOption("--checkpoint-every")) again.checkpointEvery = checkpointEvery;
        again.out = resume;
        again.resuming = true;
        System.out.println("resuming the run in " + resume);
        return again.execute();
    }

    private int execute() throws Exception {
        List<OrcaRun.Method> ms = new ArrayList<>();
        for (String m : methods) ms.add(OrcaRun.Method.parse(m));
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        train.check();
        optimizer.check();
        align.check();
        if (out != null) OutputPaths.requireWritableDirectory("--out", out, "run.json, metrics.json, report.html, checkpoints/ and models/");
        TaskLoader.LoadedTask t = task.load();
        Map<String, String> presetApplied = PaperPreset.apply(preset, spec, spec.commandLine().getParseResult(), t);
        if (!presetApplied.isEmpty()) System.out.println("--preset paper: " + presetApplied);
        model.check(t.spec());
        System.out.println("task " + t.spec() + " from " + t.description() + ": train " + t.train().size() + ", validation " + t.val().size() + ", test " + t.test().size());
        Supplier<Body> bodies = model.bodies();
        SourceFeatures src = ms.contains(OrcaRun.Method.ORCA) ? align.sourceFeatures(bodies.get(), model.body, task.seed) : null;
        Path dir = out != null ? out : Path.of("orca-runs", t.spec().name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, String> settings = CliSettings.of(spec, Set.of("--resume", "--out"));
        try (RunDirectory owned = RunDirectory.open(dir)) {
            if (!resuming) CliSettings.writeRunFile(dir, "run", settings);
            try {
                reference = referenceBaselines(t);
                runAll(ms, t, bodies, src, dir, settings);
            } catch (Throwable e) {
                owned.discardIfNothingUseful(!resuming);
                throw e;
            }
        }
        System.out.println("report: " + dir.resolve("report.html").toAbsolutePath());
        Report.comparison(entries, reference).forEach(System.out::println); // the last lines: trained models against the reference baselines
        return 0;
    }

    /** The task's reference baselines (trivial and linear), the linear model's L2 chosen under the run's selection metric. */
    private Reference reference;
    private final List<Report.Entry> entries = new ArrayList<>();

    private Reference referenceBaselines(TaskLoader.LoadedTask t) {
        ModelSelection selection = ModelSelection.of(train.selectMetric, train.report, t.spec(), t.tabular());
        Reference r = Reference.compute(t.spec(), t.train(), t.val(), t.test(), selection, task.seed);
        Report.comparison(selection.metric(), List.of(), r).forEach(System.out::println);
        return r;
    }

    private void runAll(List<OrcaRun.Method> ms, TaskLoader.LoadedTask t, Supplier<Body> bodies, SourceFeatures src, Path dir, Map<String, String> settings) throws Exception {
        Path runFile = dir.resolve(CliSettings.RUN_FILE);
        Progress progress = new Progress(System.out);
        for (long s = task.seed; s < task.seed + seeds; s++) {
            TrainConfig cfg = train.config(optimizer, s, t);
            for (OrcaRun.Method m : ms) {
                String name = m.name().toLowerCase(Locale.ROOT) + (model.warmInit && m == OrcaRun.Method.FINETUNE ? "-warm" : "") + (train.layerNormOnly ? "-fpt" : "");
                Path modelFile = dir.resolve("models").resolve(name + "-seed" + s + ".safetensors");
                Path checkpointFile = dir.resolve("checkpoints").resolve(name + "-seed" + s + ".safetensors");
                Checkpoint.Loaded finished = resuming && Files.exists(modelFile) ? finishedModel(modelFile, settings, t) : null;
                OrcaRun.Outcome o;
                if (finished != null) {
                    o = finished.state().outcome();
                    System.out.println("  " + m + " seed " + s + ": finished before the interruption (" + modelFile + ")");
                } else {
                    Checkpoint.Loaded from = resuming && Files.exists(checkpointFile) ? Checkpoint.read(checkpointFile) : null;
                    if (from != null) {
                        requireSameSettings(from, settings);
                        System.out.println("  " + m + " seed " + s + ": resuming from " + describe(from.state()));
                    }
                    var runSettings = new OrcaRun.Settings(m, align.objective, align.alignEpochs, align.maxSamples, model.patch, model.pooledDense, cfg, model.warmInit);
                    o = OrcaRun.run(t.spec(), t.train(), t.val(), t.test(), bodies, () -> AlignmentLoss.create(align.objective, src), runSettings, progress,
                            new Checkpointer(checkpointFile, modelFile, checkpointEvery, settings, runFile), from);
                }
                entries.add(new Report.Entry(name, s, o, ReportPredictions.ofSavedModel(modelFile, t.spec(), t.test())));
                System.out.println("  " + m + " seed " + s + ": test " + o.refine().test());
                Checkpointer.requirePresent(runFile);
                Report.write(dir, t, entries, reportSettings(), reference); // rewritten after every run: a crash keeps what finished
            }
        }
    }

    /**
     * A model file found on resume counts as this run's result only if it is a finished run written under the same
     * settings for the same task; otherwise (e.g. left by an earlier run in a reused directory) it is set aside with a
     * message, the method continues from its checkpoint or from the start, and the file is replaced when it ends.
     */
    private static Checkpoint.Loaded finishedModel(Path modelFile, Map<String, String> settings, TaskLoader.LoadedTask t) throws java.io.IOException {
        Checkpoint.Loaded m = Checkpoint.read(modelFile);
        String why = m.state().stage() != Checkpoint.Stage.DONE ? "it is not a finished run (stage " + m.state().stage() + ")" : settingsDiffer(m, settings);
        if (why == null) {
            try {
                m.requireTask(t.spec(), "this run's data");
            } catch (IllegalArgumentException e) {
                why = "it was built for task " + m.task() + ", this run's task is " + t.spec();
            }
        }
        if (why == null) return m;
        System.out.println("  ignoring " + modelFile + ": " + why + "; it is not this run's result and will be replaced");
        return null;
    }

    /** A checkpoint continues only under the settings it was written with (threads and checkpoint frequency aside). */
    private static void requireSameSettings(Checkpoint.Loaded from, Map<String, String> settings) {
        String why = settingsDiffer(from, settings);
        if (why != null) throw new IllegalArgumentException(from.file() + " " + why + " (was " + CliSettings.RUN_FILE + " edited?)");
    }

    /** Null when {@code saved} was written under {@code settings} (threads and checkpoint frequency aside), else the first difference. */
    private static String settingsDiffer(Checkpoint.Loaded saved, Map<String, String> settings) {
        for (var e : settings.entrySet()) {
            if (RESUME_OVERRIDES.contains(e.getKey())) continue;
            String then = saved.settings().get(e.getKey());
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

    /** The settings block of metrics.json (its keys predate the option mixins; kept for readers of old reports). */
    private Map<String, Object> reportSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", task.data); m.put("body", model.body); m.put("methods", methods); m.put("objective", align.objective);
        m.put("align_epochs", align.alignEpochs); m.put("max_samples", align.maxSamples); m.put("patch", model.patch); m.put("pooled_dense", model.pooledDense); m.put("warm_init", model.warmInit);
        m.put("optimizer", optimizer.optimizer); m.put("lr", optimizer.lr); m.put("weight_decay", optimizer.weightDecay); m.put("epochs", train.epochs);
        m.put("batch_size", train.batchSize); m.put("accum", train.accum); m.put("clip", train.clip); m.put("warmup_epochs", train.warmupEpochs); m.put("decay_epochs", train.decayEpochs); m.put("drop_path", train.dropPath); m.put("dropout", train.dropout);
        m.put("layernorm_only", train.layerNormOnly); m.put("seed", task.seed); m.put("seeds", seeds); m.put("val_fraction", task.valFraction);
        m.put("source", align.source); m.put("source_classes", align.sourceClasses); m.put("source_samples", align.sourceSamples);
        m.put("task_family", task.family); m.put("loss", task.loss); m.put("select_metric", train.selectMetric); m.put("report", train.report);
        m.put("preset", preset); m.put("pos_weight", train.posWeight); m.put("momentum", optimizer.momentum);
        m.put("threads", CpuPool.threads()); m.put("checkpoint_every", checkpointEvery);
        return m;
    }
}
