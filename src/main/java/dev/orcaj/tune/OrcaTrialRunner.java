package dev.orcaj.tune;

import dev.orcaj.orca.Experiment;
import dev.orcaj.orca.OrcaRun;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains one rung with the real engine: the rung's run flags (the search's fixed flags plus the trial's
 * configuration, for one method) become an {@link Experiment}, and {@link Experiment#trial} trains the trial to the
 * rung's epochs of a schedule spanning R, continuing from the trial's state in its work directory. So a trial promoted
 * through every rung trains exactly as one uninterrupted R-epoch run, and a rung cut off by a crash reruns from the
 * state the trial's previous rung left. The rung's score is the selection score (higher is better) of the best-validated
 * epoch so far, i.e. of the model the run would deliver if it stopped here.
 */
public final class OrcaTrialRunner implements TrialRunner {

    /** Builds the experiment that {@code orca run} flags describe ({@code dev.orcaj.cli.RunCommand#experimentOf}). */
    @FunctionalInterface
    public interface Experiments {
        Experiment of(Map<String, String> runFlags) throws Exception;
    }

    private final Experiments experiments;
    private final PrintStream out;

    /** @param out where the run's progress goes (null: nowhere) */
    public OrcaTrialRunner(Experiments experiments, PrintStream out) {
        this.experiments = experiments;
        this.out = out;
    }

    @Override
    public RungResult run(TrialRung rung) throws Exception {
        long start = System.nanoTime();
        Experiment.TrialResult r = train(experiments, rung.experiment(), rung.config(), rung.epochs(), rung.maxEpochs(), Path.of(rung.workDir()), out);
        return new RungResult(rung.trialId(), rung.rung(), rung.epochs(), r.score(), r.validation(), (System.nanoTime() - start) / 1e9);
    }

    /** One trial of one method to {@code epochs} of {@code maxEpochs}; also how a search re-reads its best trial's final test metrics. */
    public static Experiment.TrialResult train(Experiments experiments, Map<String, String> experiment, Map<String, String> config, int epochs, int maxEpochs,
                                               Path workDir, PrintStream out) throws Exception {
        Map<String, String> flags = new LinkedHashMap<>(experiment);
        flags.putAll(config);
        Experiment e = experiments.of(flags).withLog(out);
        Experiment.Settings s = e.settings();
        List<OrcaRun.Method> methods = s.methods();
        if (methods.size() != 1) throw new IllegalArgumentException("a trial runs one method, got --methods " + methods);
        return e.trial(new Experiment.Trial(methods.getFirst(), s.seed(), s.hyperparameters(), epochs, maxEpochs, workDir));
    }
}
