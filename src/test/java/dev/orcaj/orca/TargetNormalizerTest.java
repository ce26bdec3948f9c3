package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Splits;
import dev.orcaj.data.Targets;
import dev.orcaj.data.pde.Advection1d;
import dev.orcaj.models.Body;
import dev.orcaj.nn.Functional;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dense head's target normalizer (the official code's UnitGaussianNormalizer, {@link Predictor#fitTargetNormalizer}):
 * the per-channel statistics it fits, the decoding in the forward pass, its absence where outputs are logits or classes, its trip
 * through a model file, zero-shot extents, and what it is for: a run learns the same whatever the targets' units.
 */
class TargetNormalizerTest {
    private static final TaskSpec FIELD = new TaskSpec("field", new int[] {1, 4}, TaskSpec.OutputKind.DENSE, 1);

    private static OrcaModel model(TaskSpec task, int patch) {
        Body body = TinyTask.body().get();
        SplittableRandom rng = new SplittableRandom(5);
        Embedder e = new Embedder(task, body, patch, rng);
        OrcaModel m = new OrcaModel(e, body, new Predictor(task, e.plan, body, false, rng));
        m.train(false);
        return m;
    }

    private static float[] buffer(OrcaModel m, String name) { return m.namedParameters().get("predictor." + name).get().toFloatArray(); }

    @Test
    void fitsEachChannelsMeanAndUnbiasedStdAndDecodesTheHeadsOutput() {
        TaskSpec twoChannels = new TaskSpec("fields", new int[] {1, 4}, TaskSpec.OutputKind.DENSE, 2);
        float[] y = {1, 0, 5, 2, /* channel 1 */ 7, 7, 7, 7, // 3 samples x 2 channels x 4 points; channel 1 is always 7
                     3, 0, 5, 4, 7, 7, 7, 7,
                     8, 0, 5, 9, 7, 7, 7, 7};
        OrcaModel fitted = model(twoChannels, 1), raw = model(twoChannels, 1);
        fitted.predictor.fitTargetNormalizer(new Targets.DenseTargets(y, new int[] {2, 4}));
        double mean = 0, var = 0;
        for (int i = 0; i < 3; i++) for (int p = 0; p < 4; p++) mean += y[8 * i + p] / 12.0;
        for (int i = 0; i < 3; i++) for (int p = 0; p < 4; p++) var += (y[8 * i + p] - mean) * (y[8 * i + p] - mean) / 11; // torch.std: n - 1
        double std = Math.sqrt(var);
        float[] shift = buffer(fitted, "target_shift"), scale = buffer(fitted, "target_scale");
        for (int p = 0; p < 4; p++) {
            assertEquals(mean, shift[p], 1e-5, "channel 0 mean at point " + p);
            assertEquals(std * (1 + 1e-5), scale[p], 1e-5, "channel 0 std + eps at point " + p);
            assertEquals(7, shift[4 + p], 1e-6, "channel 1 mean at point " + p);
            assertEquals(1e-5, scale[4 + p], 1e-9, "channel 1 std 0: eps = 1e-5");
        }
        Tensor x = Tensor.randn(DType.F32, new SplittableRandom(3), 1.0, 2, 1, 4);
        float[] head = raw.forward(x).toFloatArray(), out = fitted.forward(x).toFloatArray();
        for (int i = 0; i < out.length; i++) {
            int cp = i % 8;
            assertEquals(head[i] * scale[cp] + shift[cp], out[i], 1e-4, "output " + i);
        }
        for (int i = 4; i < out.length; i += i % 8 == 7 ? 5 : 1) {
            assertEquals(7, out[i], 1e-3, "a channel whose every training target is 7 decodes to 7 whatever the head says");
        }
    }

    @Test
    void logitAndClassHeadsAreNotNormalized() {
        TaskSpec masked = new TaskSpec("mask", new int[] {1, 4}, TaskSpec.OutputKind.DENSE, 1, TaskSpec.Loss.MASKED_BCE);
        for (TaskSpec task : new TaskSpec[] {masked, TinyTask.SPEC}) {
            OrcaModel m = model(task, 0);
            assertFalse(m.namedParameters().containsKey("predictor.target_shift"), task + " has no normalizer");
            m.predictor.fitTargetNormalizer(task == masked ? new Targets.DenseTargets(new float[16], new int[] {2, 4}) : TinyTask.data(4, 1).targets()); // a no-op
        }
        OrcaModel dense = model(FIELD, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> dense.predictor.fitTargetNormalizer(new Targets.DenseTargets(new float[10], new int[] {1, 5})));
        assertTrue(e.getMessage().contains("[1, 4]"), e.getMessage());
    }

    @Test
    void theNormalizerTravelsInTheModelFileAndOldFilesDecodeAsBefore(@TempDir Path dir) throws Exception {
        OrcaModel m = model(FIELD, 1);
        m.predictor.fitTargetNormalizer(new Targets.DenseTargets(new float[] {1, 2, 3, 4, 3, 2, 1, 0}, new int[] {1, 4}));
        Path file = dir.resolve("m.safetensors");
        Checkpoint.write(file, m, Checkpoint.State.refineStart(null), Map.of(), Map.of(), Map.of());
        OrcaModel back = Checkpoint.read(file).model();
        back.train(false);
        Tensor x = Tensor.randn(DType.F32, new SplittableRandom(3), 1.0, 2, 1, 4);
        assertArrayEquals(m.forward(x).toFloatArray(), back.forward(x).toFloatArray(), 0f);
        // a file written before the normalizer existed has no target_* tensors: it loads with the identity decoding
        Checkpoint.Loaded read = Checkpoint.read(file);
        Map<String, dev.orcaj.io.NdArray> old = new java.util.LinkedHashMap<>(read.modelTensors());
        old.keySet().removeIf(n -> n.startsWith("predictor.target_"));
        OrcaModel legacy = new Checkpoint.Loaded(file, read.state(), read.task(), read.config(), read.patch(), read.pooledDense(), read.settings(), old, Map.of(), Map.of()).model();
        assertArrayEquals(new float[] {0, 0, 0, 0}, buffer(legacy, "target_shift"), 0f);
        assertArrayEquals(new float[] {1, 1, 1, 1}, buffer(legacy, "target_scale"), 0f);
    }

    @Test
    void atAnotherExtentPerPointFieldsOfOlderFilesAreResizedBilinearly() {
        float[] ramp = {0, 1, 2, 3, 4, 5, 6, 7};
        TaskSpec task = new TaskSpec("pde", new int[] {1, 8}, TaskSpec.OutputKind.DENSE, 1);
        OrcaModel m = model(task, 1);
        // a model file written with the per-point normalizer (132e8e4 to 539c0d6): a ramp of shifts, scale ~0
        m.namedParameters().get("predictor.target_shift").load("predictor.target_shift", Tensor.of(ramp, 1, 8));
        m.namedParameters().get("predictor.target_scale").load("predictor.target_scale", Tensor.of(new float[8], 1, 8));
        float[] at8 = m.forward(Tensor.randn(DType.F32, new SplittableRandom(4), 1.0, 1, 1, 8)).toFloatArray();
        assertArrayEquals(ramp, at8, 1e-6f);
        float[] at16 = m.forward(Tensor.randn(DType.F32, new SplittableRandom(4), 1.0, 1, 1, 16)).toFloatArray();
        float[] want = Functional.resizeBilinear(Tensor.of(ramp, 1, 1, 1, 8), 1, 16).toFloatArray();
        assertArrayEquals(want, at16, 1e-5f);
        // the per-channel constants of a fitted head are the same at every extent
        m.predictor.fitTargetNormalizer(new Targets.DenseTargets(concat(ramp, ramp), new int[] {1, 8}));
        float[] raw16 = model(task, 1).forward(Tensor.randn(DType.F32, new SplittableRandom(4), 1.0, 1, 1, 16)).toFloatArray();
        float[] fit16 = m.forward(Tensor.randn(DType.F32, new SplittableRandom(4), 1.0, 1, 1, 16)).toFloatArray();
        float shift = buffer(m, "target_shift")[0], scale = buffer(m, "target_scale")[0];
        assertEquals(3.5f, shift, 1e-6f);
        for (int i = 0; i < 16; i++) assertEquals(raw16[i] * scale + shift, fit16[i], 1e-4f, "output " + i + " at extent 16");
    }

    /**
     * What it is for: relative L2 does not depend on the targets' units, and with the normalizer neither does
     * training, so targets in metres and in kilometres give the same run. Without it the head would have to learn a
     * 1000x smaller output with the same Adam step sizes (the Darcy finding of issue 13).
     */
    @Test
    void theTargetsUnitsDoNotChangeWhatARunLearns() {
        ArrayDataset all = Advection1d.generate(40, 1, Advection1d.Params.pdeBench(16));
        double[] testL2 = new double[2];
        for (int run = 0; run < 2; run++) {
            ArrayDataset d = run == 0 ? all : scaledTargets(all, 1e-3f);
            TaskSpec task = new TaskSpec("adv", d.sampleShape(), TaskSpec.OutputKind.DENSE, 1);
            TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-2, 0, 0.9, 3, 8, 1, 1.0, 0, 3, false, 0, false, 0, 3);
            var s = new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 16, 0, false, cfg);
            OrcaRun.Outcome o = OrcaRun.run(task, d.subset(Splits.range(0, 30)), d.subset(Splits.range(30, 35)), d.subset(Splits.range(35, 40)),
                    TinyTask.body(), () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, Progress.SILENT);
            testL2[run] = o.refine().test().get("relative_l2");
        }
        assertEquals(testL2[0], testL2[1], 1e-3 * testL2[0], "relative L2 with targets x1 and x1e-3: " + testL2[0] + " vs " + testL2[1]);
    }

    private static ArrayDataset scaledTargets(ArrayDataset d, float c) {
        Targets.DenseTargets t = (Targets.DenseTargets) d.targets();
        float[] v = t.values().clone();
        for (int i = 0; i < v.length; i++) v[i] *= c;
        return new ArrayDataset(d.features(), d.sampleShape(), new Targets.DenseTargets(v, t.sampleShape()));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
