package dev.orcaj.cli;

import dev.orcaj.models.Body;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TrainConfig;
import dev.orcaj.tune.OrcaTrialRunner;
import dev.orcaj.tune.TrialConfig;
import dev.orcaj.tune.TrialRunner;
import dev.orcaj.tune.TrialSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The run flags of one search trial (those of {@code orca run} for one method, plus {@value TrialConfig#TARGET_SEQ_LEN_FLAG}),
 * parsed with the same option classes as {@code orca run} into a {@link TrialSetup}: how a trial rung, which travels
 * as plain strings, becomes a run on whichever machine executes it.
 */
@Command(name = "trial")
public final class TrialFlags {
    @Mixin TaskOptions task;
    @Mixin ModelOptions model;
    @Mixin AlignOptions align;
    @Mixin OptimizerOptions optimizer;
    @Mixin TrainOptions train;
    @Option(names = "--method", required = true)
    String method;
    @Option(names = TrialConfig.TARGET_SEQ_LEN_FLAG, defaultValue = "0")
    int targetSeqLen;

    /** The trial runner that trains with the real engine, its progress printed to {@code System.out}. */
    public static TrialRunner runner() { return new OrcaTrialRunner(TrialFlags::setup, System.out); }

    /** Parses {@code flags} (flag to value) and loads the task; a bad flag fails here with its name. */
    public static TrialSetup setup(Map<String, String> flags) {
        TrialFlags f = new TrialFlags();
        CommandLine cl = new CommandLine(f);
        try {
            cl.parseArgs(CliSettings.toArgs(cl.getCommandSpec(), flags).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("trial flags: " + e.getMessage(), e);
        }
        try {
            return f.resolve(flags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TrialSetup resolve(Map<String, String> flags) throws IOException {
        OrcaRun.Method m = OrcaRun.Method.parse(method);
        train.check();
        optimizer.check();
        align.check();
        TaskLoader.LoadedTask t = task.load();
        model.check(t.spec());
        TrainConfig cfg = train.config(optimizer, task.seed, t);
        var settings = new OrcaRun.Settings(m, align.objective, align.alignEpochs, align.maxSamples, model.patch, model.pooledDense, cfg, model.warmInit);
        java.util.function.Supplier<Body> bodies = model.bodies();
        return new TrialSetup(t, bodies, b -> {
            try {
                return align.sourceFeatures(b, model.body, task.seed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, align.objective, settings, targetSeqLen, flags);
    }
}
