package dev.orcaj.tune;

import java.io.Serializable;
import java.util.Map;

/**
 * One unit of search work: train trial {@code trialId} (its hyperparameters {@code config}, as run flags) up to
 * {@code epochs} stage-3 epochs of a schedule that spans {@code maxEpochs}, continuing from the trial's checkpoint
 * under {@code workDir} when a lower rung left one. Plain strings only: a rung travels to a thread, a child JVM or a
 * Spark executor and is run there by {@link TrialRunner}.
 *
 * @param experiment the search's fixed settings as run flags (data, body, method, seed, ...), the same for every trial
 * @param workDir    a directory every executor can reach (local disk for local trials, a shared path on a cluster)
 */
public record TrialRung(String searchId, String trialId, int rung, int epochs, int maxEpochs,
                        Map<String, String> experiment, Map<String, String> config, String workDir) implements Serializable {
    public TrialRung {
        experiment = Map.copyOf(experiment);
        config = Map.copyOf(config);
    }
}
