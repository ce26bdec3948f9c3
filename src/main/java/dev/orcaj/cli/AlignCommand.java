package dev.orcaj.cli;

import dev.orcaj.models.Body;
import dev.orcaj.orca.AlignmentLoss;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.SourceFeatures;
import dev.orcaj.orca.TaskLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code orca align}: ORCA stages 1 and 2 only; saves the aligned model for {@code orca finetune --model}. */
@Command(name = "align", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"ORCA stage 1 (embedder + head for the task) and stage 2 (align the embedder to the source proxy) only.",
                "Saves the aligned model (its head not yet trained) as one .safetensors file; continue with 'orca finetune --model'."},
        footer = {"%nExample:", "  orca align --data ucr:data/ECG200 --align-epochs 20 --out ecg-aligned.safetensors",
                "  orca finetune --data ucr:data/ECG200 --model ecg-aligned.safetensors --out runs/ecg-refined"})
public final class AlignCommand implements Callable<Integer> {
    @Mixin TaskOptions task;
    @Mixin ModelOptions model;
    @Mixin AlignOptions align;
    @Mixin OptimizerOptions optimizer;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The aligned model (.safetensors, written atomically).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (align.alignEpochs < 1) throw new IllegalArgumentException("--align-epochs must be >= 1 for 'orca align', got " + align.alignEpochs);
        optimizer.check();
        align.check();
        OutputPaths.requireWritableFile("--out", out);
        TaskLoader.LoadedTask t = task.load();
        model.check(t.spec());
        System.out.println("task " + t.spec() + " from " + t.description() + ": train " + t.train().size());
        Supplier<Body> bodies = model.bodies();
        SourceFeatures src = align.source().features(bodies.get(), model.body, task.seed, System.out);
        var settings = new OrcaRun.Settings(OrcaRun.Method.ORCA, align.objective(), align.alignEpochs, align.maxSamples, model.patch, model.pooledDense,
                TrainOptions.alignOnly(optimizer, task.seed));
        OrcaRun.Aligned a = OrcaRun.align(t.spec(), t.train(), bodies, () -> AlignmentLoss.create(settings.objective(), src), settings, new Progress(System.out));
        Map<String, String> saved = CliSettings.of(spec, Set.of("--out"));
        Checkpoint.write(out, a.model(), Checkpoint.State.refineStart(a.result()), Map.of(), Map.of(), saved);
        System.out.printf(Locale.ROOT, "%s before %.5g, after %.5g; wrote %s%n", settings.objective(), a.result().before(), a.result().after(), out);
        return 0;
    }
}
