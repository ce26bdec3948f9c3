package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.orca.BodySelection;
import dev.orcaj.orca.BodySource;
import dev.orcaj.orca.Experiment;
import dev.orcaj.orca.Report;
import dev.orcaj.orca.TensorBoardLog;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.RunFile;
import dev.orcaj.orca.TaskLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code orca run}: all three ORCA stages (and baselines) on one task, with progress, checkpoints and a report
 * directory. A thin parser: the flags become one {@link Experiment}, which owns the runs, files and resume checks.
 */
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
    /** Take the task and body weights from {@link dev.orcaj.tune.RungInputs} ({@link #rungExperimentOf}). */
    private boolean keepInputs;

    @Override
    public Integer call() throws Exception {
        if (resume != null) return resumeRun();
        return execute();
    }

    /** Re-parses the settings saved in DIR/run.json into a fresh command and runs it in DIR, skipping finished work. */
    private int resumeRun() throws Exception {
        RunCommand again = CliSettings.reparseSaved(spec, resume, "run", RESUME_OVERRIDES, new RunCommand());
        var matched = spec.commandLine().getParseResult();
        if (matched.hasMatchedOption("--threads")) again.task.threads = task.threads;
        if (matched.hasMatchedOption("--checkpoint-every")) again.checkpointEvery = checkpointEvery;
        again.out = resume;
        again.resuming = true;
        System.out.println("resuming the run in " + resume);
        return again.execute();
    }

    private int execute() throws Exception {
        Experiment e = experiment();
        Path dir = out != null ? out : Path.of("orca-runs", e.task().spec().name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Map<String, String> recorded = CliSettings.of(spec, Set.of("--resume", "--out"));
        // TensorBoard event files for every run, always (a few bytes per step): RUN_DIR/tb/<method>-seed<S>/
        Experiment.Result result = e.withListeners(key -> TensorBoardLog.openOrWarn(dir, key.name() + "-seed" + key.seed(), System.err))
                .run(new Experiment.Output(dir, resuming, checkpointEvery, recorded, RESUME_OVERRIDES, reportSettings()));
        System.out.println("report: " + dir.resolve("report.html").toAbsolutePath());
        // the last lines: the trained models against the task's reference baselines
        Report.comparison(result.runs().stream().map(r -> new Report.Entry(r.key().name(), r.key().seed(), r.outcome())).toList(), e.reference()).forEach(System.out::println);
        return 0;
    }

    /**
     * The experiment {@code orca run} would run with {@code flags} (flag to value, as in run.json; unset flags take
     * their defaults): every flag checked, the task loaded. For callers that hold run flags, e.g. a search's
     * {@code TrialRung.experiment()}; {@code --out}, {@code --resume} and {@code --checkpoint-every} play no part.
     * A trial whose hyperparameters are run flags too: {@code e = experimentOf(experiment + config)}, then
     * {@code e.trial(new Experiment.Trial(method, seed, e.settings().hyperparameters(), epochs, maxEpochs, dir))}.
     * Loading applies {@code --threads} to the one process-wide CPU pool.
     */
    public static Experiment experimentOf(Map<String, String> flags) throws Exception {
        return experimentOf(flags, false);
    }

    /**
     * {@link #experimentOf(Map)} for a search's rung: the task and the body's weights come from the JVM's
     * {@link dev.orcaj.tune.RungInputs}, so a JVM that runs many rungs (a Spark executor) reads them once.
     */
    public static Experiment rungExperimentOf(Map<String, String> flags) throws Exception {
        return experimentOf(flags, true);
    }

    private static Experiment experimentOf(Map<String, String> flags, boolean keepInputs) throws Exception {
        RunCommand c = new RunCommand();
        c.keepInputs = keepInputs;
        CommandLine cl = new CommandLine(c);
        try {
            cl.parseArgs(CliSettings.toArgs(cl.getCommandSpec(), flags).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("run flags " + flags + ": " + e.getMessage(), e);
        }
        return c.experiment();
    }

    /** Checks every flag, loads the task (applying --preset) and builds the experiment the flags describe. */
    private Experiment experiment() throws Exception {
        List<OrcaRun.Method> ms = new ArrayList<>();
        for (String m : methods) {
            try {
                ms.add(OrcaRun.Method.parse(m.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--methods: expected a comma list of orca, finetune, scratch, got '" + m + "'");
            }
        }
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        train.check();
        optimizer.check();
        align.check();
        if (out != null) OutputPaths.requireWritableDirectory("--out", out, "run.json, metrics.json, report.html, checkpoints/ and models/");
        TaskLoader.LoadedTask t = task.load(keepInputs);
        Map<String, String> presetApplied = PaperPreset.apply(preset, spec, spec.commandLine().getParseResult(), t);
        if (!presetApplied.isEmpty()) System.out.println("--preset paper: " + presetApplied);
        model.check(t.spec());
        TaskOptions.printSplits(t, task.valFraction);
        var settings = new Experiment.Settings(ms, task.seed, seeds, align.objective(), align.alignEpochs, align.maxSamples, model.patch, model.pooledDense, model.warmInit,
                train.config(optimizer, task.seed, t));
        if (!BodySource.isAuto(model.body)) {
            return new Experiment(t, model.body, model.bodies(keepInputs), align.source(), settings).withScratchBodies(BodySource.parse(model.body).scratchBodies());
        }
        List<BodySource> candidates = BodySource.candidates(model.body);
        Map<String, Object> earlier = resuming ? earlierSelection(out, candidates) : null;
        if (earlier != null) {
            String name = (String) earlier.get("chosen");
            BodySource chosen = candidates.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
            System.out.println("body selection: taken from the interrupted run (" + out.resolve("metrics.json") + "), not repeated: chosen body " + name);
            return new Experiment(t, chosen.name(), chosen.supplier(), align.source(), settings).withReportBlock("body_selection", earlier);
        }
        var selection = BodySelection.select(candidates, t, align.source(), settings, System.out);
        selection.lines().forEach(System.out::println);
        BodySource chosen = selection.chosenSource();
        return new Experiment(t, chosen.name(), chosen.supplier(), align.source(), settings).withReportBlock("body_selection", selection.json())
                .withAligned(selection.chosenAligned(), selection.chosenFeatures());
    }

    /**
     * The "body_selection" block an interrupted {@code --body auto} run left in DIR/metrics.json (written once its first
     * run had finished), when it names one of {@code candidates}; null otherwise (the selection then runs again).
     */
    static Map<String, Object> earlierSelection(Path dir, List<BodySource> candidates) {
        Path metrics = dir.resolve("metrics.json");
        if (!Files.isRegularFile(metrics)) return null;
        try {
            var json = new ObjectMapper();
            var block = json.readTree(metrics.toFile()).get("body_selection");
            if (block == null || !block.has("chosen")) return null;
            String chosen = block.get("chosen").asText();
            if (candidates.stream().noneMatch(c -> c.name().equals(chosen))) return null;
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.convertValue(block, Map.class);
            return m;
        } catch (IOException e) {
            System.out.println("body selection: " + metrics + " does not read back (" + e.getMessage() + "); selecting again");
            return null;
        }
    }

    /** The settings block of metrics.json (its keys predate the option mixins; kept for readers of old reports). */
    private Map<String, Object> reportSettings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", task.data); m.put("body", model.body); m.put("methods", methods); m.put("objective", align.objective().flag());
        m.put("align_epochs", align.alignEpochs); m.put("max_samples", align.maxSamples); m.put("patch", model.patch); m.put("pooled_dense", model.pooledDense); m.put("warm_init", model.warmInit);
        m.put("optimizer", optimizer.optimizer().flag()); m.put("lr", optimizer.lr); m.put("weight_decay", optimizer.weightDecay); m.put("epochs", train.epochs);
        m.put("batch_size", train.batchSize); m.put("accum", train.accum); m.put("clip", train.clip); m.put("warmup_epochs", train.warmupEpochs); m.put("decay_epochs", train.decayEpochs); m.put("drop_path", train.dropPath); m.put("dropout", train.dropout);
        m.put("layernorm_only", train.layerNormOnly); m.put("seed", task.seed); m.put("seeds", seeds); m.put("val_fraction", task.valFraction);
        m.put("source", align.source); m.put("source_classes", align.sourceClasses); m.put("source_samples", align.sourceSamples);
        m.put("task_family", task.family); m.put("loss", task.loss); m.put("select_metric", train.selectMetric); m.put("report", train.report);
        m.put("preset", preset); m.put("pos_weight", train.posWeight); m.put("momentum", optimizer.momentum);
        m.put("threads", CpuPool.threads()); m.put("checkpoint_every", checkpointEvery);
        return m;
    }
}
