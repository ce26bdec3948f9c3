package dev.orcaj.cli;

import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.Checkpointer;
import dev.orcaj.orca.Experiment;
import dev.orcaj.orca.Objective;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.Report;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.baselines.Reference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code orca finetune}: ORCA stage 3 on a saved model (e.g. from {@code orca align}), the pretrained body or from scratch. */
@Command(name = "finetune", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"ORCA stage 3 (refinement) only, from a saved model, the pretrained body or from scratch.",
                "Starts from --model (e.g. the output of 'orca align'), from the pretrained --body (plain fine-tuning) or",
                "with the body re-initialized (--scratch). With --model, --data, --seed",
                "and --val-fraction default to the model's own (so the validation and test rows stay unseen).",
                "Writes model.safetensors, metrics.json and report.html to --out."},
        footer = {"%nExamples:", "  orca finetune --data ucr:data/ECG200 --model ecg-aligned.safetensors --out runs/ecg-refined",
                "  orca finetune --data ucr:data/ECG200 --body minilm --epochs 10 --out runs/ecg-plain"})
public final class FinetuneCommand implements Callable<Integer> {
    @Mixin TaskOptions task;
    @Mixin ModelOptions model;
    @Option(names = "--model", paramLabel = "FILE", description = "Start from this saved ORCA model (align output, or a model of an earlier run).")
    Path from;
    @Option(names = "--scratch", description = "Re-initialize the body: the train-from-scratch baseline.")
    boolean scratch;
    @Mixin OptimizerOptions optimizer;
    @Mixin TrainOptions train;
    @Option(names = "--preset", defaultValue = "none", description = "paper: the official stage-3 configuration of the task's family (see README) for every flag not given; none (default).")
    String preset;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory: model.safetensors, metrics.json, report.html.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var parsed = spec.commandLine().getParseResult();
        train.check();
        optimizer.check();
        OutputPaths.requireWritableDirectory("--out", out, "model.safetensors, metrics.json and report.html");
        Checkpoint.Loaded start = null;
        if (from != null) {
            for (String flag : List.of("--scratch", "--body", "--patch", "--pooled-dense", "--warm-init")) {
                if (parsed.hasMatchedOption(flag)) throw new IllegalArgumentException(flag + " cannot be combined with --model: the saved model " + from + " fixes body and head");
            }
            start = Checkpoint.read(from).asRefineStart();
            task.defaultsFrom(start.settings(), parsed);
        }
        TaskLoader.LoadedTask t = task.load();
        Map<String, String> presetApplied = PaperPreset.apply(preset, spec, parsed, t);
        if (!presetApplied.isEmpty()) System.out.println("--preset paper: " + presetApplied);
        if (start != null) start.requireTask(t.spec(), "--data " + task.data);
        else model.check(t.spec());
        TaskOptions.printSplits(t, task.valFraction);
        OrcaRun.Method method = scratch ? OrcaRun.Method.SCRATCH
                : start != null && start.state().alignResult() != null ? OrcaRun.Method.ORCA : OrcaRun.Method.FINETUNE;
        var settings = new OrcaRun.Settings(method, Objective.OTDD, 0, 0, model.patch, model.pooledDense, train.config(optimizer, task.seed, t), model.warmInit);
        Map<String, String> saved = CliSettings.of(spec, Set.of("--out"));
        OrcaRun.Outcome o = OrcaRun.run(t.spec(), t.train(), t.val(), t.test(), start == null ? model.bodies() : null, null, settings,
                new Progress(System.out), new Checkpointer(null, out.resolve("model.safetensors"), 0, saved), start);
        String name = Experiment.runName(method, model.warmInit, train.layerNormOnly);
        List<Report.Entry> entries = List.of(new Report.Entry(name, task.seed, o));
        Reference reference = Experiment.reference(t, settings.train().selection(), task.seed);
        Report.write(out, t, entries, new LinkedHashMap<>(saved), reference, Map.of());
        System.out.println("test " + o.refine().test() + "; wrote " + out.resolve("model.safetensors") + " and " + out.resolve("metrics.json"));
        // the last lines, as in orca run: the model against the task's reference baselines
        Report.comparison(entries, reference).forEach(System.out::println);
        return 0;
    }
}
