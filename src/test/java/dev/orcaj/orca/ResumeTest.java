package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Safetensors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run interrupted after k progress steps (an exception thrown from the progress hook, as a kill would stop it) and
 * resumed from its last checkpoint ends with exactly the metrics and parameters of an uninterrupted run.
 */
class ResumeTest {
    static final ArrayDataset TRAIN = TinyTask.data(32, 1), VAL = TinyTask.data(8, 2), TEST = TinyTask.data(8, 3);

    @TempDir
    Path tmp;

    static final class Interrupted extends RuntimeException {}

    /** Throws from {@link #step} when the {@code k}-th step is reported (align reports once per epoch, refine once per batch). */
    static final class Interrupting extends Progress {
        private final int k;
        private int steps;

        Interrupting(int k) {
            super(null);
            this.k = k;
        }

        @Override
        public void step(int epoch, int epochs, int done, int total, String metricName, double value) {
            if (++steps == k) throw new Interrupted();
        }
    }

    static OrcaRun.Settings settings(OrcaRun.Method method, int accum) {
        // dropout > 0 so the test also covers the per-batch reseeding of the dropout generators
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 1e-5, 0.9, 3, 8, accum, 1.0, 1, 3, false, 0.1, false, 0, 5);
        return new OrcaRun.Settings(method, Objective.OTDD, 3, 16, 0, false, cfg);
    }

    static OrcaRun.Outcome run(OrcaRun.Settings s, Progress progress, Checkpointer c, Checkpoint.Loaded from) {
        return OrcaRun.run(TinyTask.SPEC, TRAIN, VAL, TEST, TinyTask.body(), () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, progress, c, from);
    }

    @ParameterizedTest(name = "{0}, accum {1}: interrupted at progress step {2}, checkpoint every {3} steps")
    @CsvSource({
            "ORCA, 1, 3, 2",     // stage 2, epoch 3: resumes from the checkpoint after epoch 2
            "ORCA, 1, 2, 0",     // stage 2 with only stage-end checkpoints: restarts the run from the beginning
            "ORCA, 1, 4, 0",     // stage 3, first batch: resumes from the checkpoint written after stage 2
            "ORCA, 1, 8, 3",     // stage 3, epoch 2 batch 1: resumes from the end of epoch 1
            "ORCA, 1, 11, 3",    // stage 3, last batch of epoch 2: resumes mid-epoch (step 6 = epoch 2, batch 2)
            "ORCA, 1, 15, 0",    // stage 3, last batch of the last epoch: resumes from the end of epoch 2
            "FINETUNE, 2, 6, 1", // accumulation: checkpoints only at optimizer steps (every second batch)
            "SCRATCH, 1, 9, 2"})
    void resumedRunEqualsUninterruptedRun(OrcaRun.Method method, int accum, int k, int every) throws Exception {
        OrcaRun.Settings s = settings(method, accum);
        Path modelA = tmp.resolve("a.safetensors"), ckptB = tmp.resolve("b.ckpt.safetensors"), modelB = tmp.resolve("b.safetensors");
        OrcaRun.Outcome a = run(s, Progress.SILENT, new Checkpointer(null, modelA, 0, Map.of()), null);

        Checkpointer c = new Checkpointer(ckptB, modelB, every, Map.of("--seed", "5"));
        assertThrows(Interrupted.class, () -> run(s, new Interrupting(k), c, null));
        assertFalse(Files.exists(modelB), "an interrupted run has no final model");
        Checkpoint.Loaded from = Files.exists(ckptB) ? Checkpoint.read(ckptB) : null;
        OrcaRun.Outcome b = run(s, Progress.SILENT, c, from);

        assertEquals(a.refine().test(), b.refine().test(), "test metrics");
        assertEquals(a.refine().bestEpoch(), b.refine().bestEpoch());
        assertEquals(a.refine().validation(), b.refine().validation());
        for (int e = 0; e < a.refine().epochs().size(); e++) {
            assertEquals(a.refine().epochs().get(e).trainLoss(), b.refine().epochs().get(e).trainLoss(), "train loss of epoch " + (e + 1));
            assertEquals(a.refine().epochs().get(e).validation(), b.refine().epochs().get(e).validation());
        }
        if (method == OrcaRun.Method.ORCA) assertArrayEquals(a.align().curve(), b.align().curve(), "stage-2 curve");
        Map<String, NdArray> pa = Safetensors.read(modelA).tensors(), pb = Safetensors.read(modelB).tensors();
        assertEquals(pa.keySet(), pb.keySet());
        pa.forEach((n, t) -> assertEquals(t, pb.get(n), "parameter " + n + " bit for bit"));
        assertFalse(Files.exists(ckptB), "the checkpoint is removed once the run has finished");
        assertEquals(Checkpoint.Stage.DONE, Checkpoint.read(modelB).state().stage());
        assertEquals(a.refine().test(), Checkpoint.read(modelB).state().outcome().refine().test(), "the outcome round-trips through the metadata");
    }
}
