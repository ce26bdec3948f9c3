package dev.orcaj.orca;

import java.util.Map;

/**
 * Structured events of one run (one method, one seed), for machine readers: TensorBoard event files, the live
 * dashboard, a search's trial store. {@link Progress} prints for people and forwards these to the listener it
 * carries ({@link Progress#events()}). Every method has an empty default so a listener takes only what it needs;
 * a listener must not throw for a run to go on (wrap I/O and report failures once).
 */
public interface RunEvents {
    RunEvents NONE = new RunEvents() {};

    /** A stage begins: "align" (stage 2) or "refine" (stage 3). */
    default void stageStarted(String stage) {}

    /**
     * Stage 2 finished embedder epoch {@code epoch} (1-based); {@code distance} is the alignment distance of that epoch,
     * NaN on a gradient-only epoch (see {@link AlignStage#VALUE_EVERY}).
     */
    default void alignEpoch(int epoch, double distance, double lr) {}

    /** Stage 3 took optimizer step {@code step} (1-based, counted over the whole stage) with mini-batch loss {@code loss}. */
    default void trainStep(int epoch, long step, double loss, double lr) {}

    /** Stage 3 finished epoch {@code epoch} (1-based): mean train loss, every validation metric, the epoch's wall time. */
    default void epochEnded(int epoch, double trainLoss, Map<String, Double> validation, double seconds) {}

    /** A stage ended after {@code seconds} of wall time. */
    default void stageEnded(String stage, double seconds) {}
}
