package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stage 2's gradient-only steps (the default, {@link AlignStage#VALUE_EVERY}) train exactly as value + gradient steps:
 * the OTDD curve at the recorded epochs, the distance after alignment and every embedder parameter are bitwise those
 * of a run that computes the distance in every epoch.
 */
class AlignStageTest {
    static final int EPOCHS = 7;

    record Run(AlignStage.Result result, Map<String, Tensor> params) {}

    static final TrainConfig CFG = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 1e-5, 0.9, 1, 8, 1, 1.0, 1, 3, false, 0, false, 0, 5);

    static Run align(int valueEvery) { return align(valueEvery, Progress.SILENT); }

    static Run align(int valueEvery, Progress progress) {
        TrainConfig cfg = CFG;
        Body body = TinyTask.body().get();
        SplittableRandom rng = new SplittableRandom(5);
        Embedder embedder = new Embedder(TinyTask.SPEC, body, 0, rng);
        OrcaModel model = new OrcaModel(embedder, body, new Predictor(TinyTask.SPEC, embedder.plan, body, false, rng));
        AlignStage.Result r = AlignStage.run(model, TinyTask.data(32, 1), AlignmentLoss.create(Objective.OTDD, TinyTask.source()), EPOCHS, 16,
                cfg, 5, progress, Checkpointer.NONE, null, valueEvery);
        return new Run(r, model.stateDict());
    }

    @Test
    void gradientOnlyEpochsLeaveTheRecordedCurveAndTheWeightsBitwiseUnchanged() {
        Run every = align(1), sparse = align(3);
        double[] full = every.result().curve(), curve = sparse.result().curve();
        assertEquals(EPOCHS + 1, curve.length);
        for (int e = 0; e <= EPOCHS; e++) {
            boolean recorded = e % 3 == 0 || e >= EPOCHS - 1; // epochs 0, 3, 6 (the last), then "after"
            assertTrue(Double.isFinite(full[e]), "value+gradient run records every epoch: " + e);
            if (recorded) assertEquals(full[e], curve[e], 0.0, "curve at epoch " + e);
            else assertTrue(Double.isNaN(curve[e]), "gradient-only epoch " + e + " records no value");
        }
        assertEquals(every.result().before(), sparse.result().before(), 0.0);
        assertEquals(every.result().after(), sparse.result().after(), 0.0);
        assertFalse(full[EPOCHS] == full[0], "alignment moved the distance");
        for (var p : every.params().entrySet()) {
            assertArrayEquals(p.getValue().toFloatArray(), sparse.params().get(p.getKey()).toFloatArray(), 0f, p.getKey());
        }
    }

    /** A stage 2 reused from the body selection replays the events the run emitted (TensorBoard, dashboard). */
    @Test
    void replayEmitsTheRunsAlignEvents() {
        java.util.List<String> live = new java.util.ArrayList<>(), replayed = new java.util.ArrayList<>();
        Run run = align(3, new Progress(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), recorder(live)));
        AlignStage.replay(run.result(), CFG, recorder(replayed));
        assertEquals(EPOCHS, live.size());
        assertEquals(live, replayed);
        assertTrue(live.getFirst().endsWith("lr=0.01"), "the embedder's lr is 10x the run's 1e-3 (spec 3.5): " + live.getFirst());
    }

    private static RunEvents recorder(java.util.List<String> out) {
        return new RunEvents() {
            @Override public void alignEpoch(int epoch, double distance, double lr) { out.add(epoch + " " + distance + " lr=" + lr); }
        };
    }
}
