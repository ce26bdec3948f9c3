package dev.orcaj.tune;

import java.io.Serializable;
import java.util.Map;

/**
 * What a finished {@link TrialRung} reports back to the scheduler: the validation score that ranks trials (higher is
 * better, already sign-adjusted by the task's model selection), every validation metric, and the rung's wall time.
 */
public record RungResult(String trialId, int rung, int epochs, double score, Map<String, Double> validation, double seconds) implements Serializable {
    public RungResult {
        validation = Map.copyOf(validation);
    }
}
