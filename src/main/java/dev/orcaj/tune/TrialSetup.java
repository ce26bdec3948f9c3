package dev.orcaj.tune;

import dev.orcaj.models.Body;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.SourceFeatures;
import dev.orcaj.orca.TaskLoader;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one trial's run flags resolve to (the command line's parsing does that: {@code dev.orcaj.cli.TrialFlags}).
 *
 * @param settings     the run's settings with stage 3 spanning the search's R epochs (epochs = decay epochs = R)
 * @param targetSeqLen the embedder's target sequence length (turned into the patch k once the body is known)
 * @param source       the source proxy through a fresh body (called only when stage 2 runs)
 * @param flags        the merged run flags, stored in the trial's checkpoints
 */
public record TrialSetup(TaskLoader.LoadedTask task, Supplier<Body> bodies, Function<Body, SourceFeatures> source, String objective,
                         OrcaRun.Settings settings, int targetSeqLen, Map<String, String> flags) {
    public TrialSetup {
        flags = Map.copyOf(flags);
    }
}
