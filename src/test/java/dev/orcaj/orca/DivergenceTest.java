package dev.orcaj.orca;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Stage 2 with a learning rate that blows the embedder up stops with a clear error instead of saving the wreck. */
class DivergenceTest {
    static TrainConfig config(double lr) {
        return new TrainConfig(OptimizerKind.ADAMW, lr, 1e-5, 0.9, 1, 8, 1, 1.0, 1, 1, false, 0.0, false, 0, 5);
    }

    @Test
    void hugeLearningRateFailsStageTwoNamingTheDistanceAndTheRemedy() {
        OrcaRun.Settings s = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 4, 16, 0, false, config(1e6));
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> OrcaRun.align(TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.body(),
                () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, Progress.SILENT));
        assertTrue(e.getMessage().startsWith("stage 2 diverged: otdd rose from "), e.getMessage());
        assertTrue(e.getMessage().contains("lower --lr"), e.getMessage());
    }

    @Test
    void ordinaryLearningRateAligns() {
        OrcaRun.Settings s = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 4, 16, 0, false, config(1e-3));
        OrcaRun.Aligned a = OrcaRun.align(TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.body(), () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, Progress.SILENT);
        assertTrue(Double.isFinite(a.result().after()));
    }

    @Test
    void limitIsRelativeToTheStartAndCatchesNonFiniteValues() {
        assertDoesNotThrow(() -> AlignStage.requireNotDiverged("otdd", 21, 21 * 999, "epoch 1", 1e-3));
        assertThrows(ArithmeticException.class, () -> AlignStage.requireNotDiverged("otdd", 21, 21 * 1001, "epoch 1", 1e-3));
        assertThrows(ArithmeticException.class, () -> AlignStage.requireNotDiverged("otdd", 21, Double.NaN, "epoch 1", 1e-3));
        assertThrows(ArithmeticException.class, () -> AlignStage.requireNotDiverged("mmd", 0, Double.POSITIVE_INFINITY, "epoch 1", 1e-3));
    }

    @Test
    void stageThreeWarnsWhenTheTrainLossExplodes() {
        var e1 = new RefineStage.EpochLog(1, 0.7, java.util.Map.of(), 1);
        assertNull(RefineStage.lossExplosion(java.util.List.of(e1), 1e-3));
        assertNull(RefineStage.lossExplosion(java.util.List.of(e1, new RefineStage.EpochLog(2, 0.7 * 999, java.util.Map.of(), 1)), 1e-3));
        String w = RefineStage.lossExplosion(java.util.List.of(e1, new RefineStage.EpochLog(2, 0.7 * 1001, java.util.Map.of(), 1)), 1e3);
        assertTrue(w != null && w.startsWith("stage 3 train loss rose from 0.70000 (epoch 1) to 700.70 (epoch 2)") && w.contains("lower --lr"), w);
    }
}
