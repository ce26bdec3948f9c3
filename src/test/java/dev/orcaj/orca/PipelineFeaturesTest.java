package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.models.Body;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pipeline options that had no test of their own (issue 11 item 13): LayerNorm-only fine-tuning, the pooled dense
 * head, the MMD and Euclidean alignment objectives through the whole ORCA run, regression tasks, and {@code pde:}
 * data specifications through the task loader. All on the tiny random BERT of {@link TinyTask}: well under a second
 * of training each.
 */
class PipelineFeaturesTest {
    private static TrainConfig cfg(int epochs, boolean layerNormOnly) {
        return new TrainConfig(OptimizerKind.ADAMW, 1e-2, 0, 0.9, epochs, 8, 1, 1.0, 0, epochs, layerNormOnly, 0, false, 0, 3);
    }

    private static Map<String, float[]> snapshot(OrcaModel m) {
        Map<String, float[]> out = new HashMap<>();
        m.namedParameters().forEach((n, p) -> out.put(n, p.get().toFloatArray()));
        return out;
    }

    private static OrcaModel tinyModel(TaskSpec task, boolean pooledDense) {
        Body body = TinyTask.body().get();
        SplittableRandom rng = new SplittableRandom(5);
        Embedder e = new Embedder(task, body, 0, rng);
        return new OrcaModel(e, body, new Predictor(task, e.plan, body, pooledDense, rng));
    }

    /** --layernorm-only (FPT, spec section 4): in the body only LayerNorm parameters move; embedder and head train. */
    @Test
    void layerNormOnlyFreezesEveryOtherBodyParameter() {
        for (boolean layerNormOnly : List.of(true, false)) {
            OrcaModel m = tinyModel(TinyTask.SPEC, false);
            Map<String, float[]> before = snapshot(m);
            RefineStage.run(m, TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), cfg(2, layerNormOnly), Progress.SILENT);
            int normsMoved = 0, othersMoved = 0;
            for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
                String name = p.getKey();
                boolean moved = !Arrays.equals(before.get(name), p.getValue().get().toFloatArray());
                if (!name.startsWith("body.")) {
                    assertTrue(moved || p.getValue().isBuffer(), name + " (embedder / head) trains");
                } else if (name.startsWith("body.embeddings.") || name.startsWith("body.pooler")) {
                    assertTrue(!moved, name + " is bypassed by ORCA and stays frozen");
                } else if (name.contains("LayerNorm")) {
                    if (moved) normsMoved++;
                } else if (moved) {
                    othersMoved++;
                }
            }
            assertTrue(normsMoved > 0, "body LayerNorms train");
            if (layerNormOnly) assertEquals(0, othersMoved, "--layernorm-only: no attention / feed-forward weight moves");
            else assertTrue(othersMoved > 0, "full fine-tuning moves the attention and feed-forward weights");
        }
    }

    /** --pooled-dense: no linear head; each token's features are average-pooled down to its k^d * C_out output values. */
    @Test
    void pooledDenseHeadAveragesEachTokensFeatures() {
        TaskSpec dense = new TaskSpec("field", new int[] {1, 8}, TaskSpec.OutputKind.DENSE, 1);
        PatchPlan plan = PatchPlan.squareTokens(new int[] {8}, 64, 2); // k = 2: 4 tokens of 2 values each
        Predictor pooled = new Predictor(dense, plan, 4, true, new SplittableRandom(1));
        assertNull(pooled.linear, "no trainable head");
        assertEquals(0, pooled.parameterCount());
        // token t has features (a, b, c, d) = (t, 2t, 10, 20): pooled to ((a + b) / 2, (c + d) / 2) = (1.5t, 15)
        float[] h = new float[4 * 4];
        for (int t = 0; t < 4; t++) System.arraycopy(new float[] {t, 2 * t, 10, 20}, 0, h, 4 * t, 4);
        Tensor y = pooled.forward(Tensor.of(h, 1, 4, 4));
        assertArrayEquals(new int[] {1, 1, 8}, y.shape());
        assertArrayEquals(new float[] {0, 15, 1.5f, 15, 3, 15, 4.5f, 15}, y.toFloatArray(), 1e-6f);
        Predictor linear = new Predictor(dense, plan, 4, false, new SplittableRandom(1));
        assertEquals(4 * 2 + 2, linear.parameterCount(), "the per-token linear head it replaces: hidden x k + k");
    }

    private static ArrayDataset field(int n, long seed) {
        ArrayDataset d = dev.orcaj.data.pde.Advection1d.generate(n, seed, dev.orcaj.data.pde.Advection1d.Params.pdeBench(16));
        return d;
    }

    @Test
    void pooledDenseThroughTheWholeRun() {
        ArrayDataset all = field(40, 1);
        TaskSpec task = new TaskSpec("adv", all.sampleShape(), TaskSpec.OutputKind.DENSE, 1);
        ArrayDataset train = all.subset(dev.orcaj.data.Splits.range(0, 30)), val = all.subset(dev.orcaj.data.Splits.range(30, 35)), test = all.subset(dev.orcaj.data.Splits.range(35, 40));
        long[] params = new long[2];
        for (boolean pooledDense : List.of(true, false)) {
            var s = new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 16, 0, pooledDense, cfg(3, false));
            OrcaRun.Outcome o = OrcaRun.run(task, train, val, test, TinyTask.body(), () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, Progress.SILENT);
            List<RefineStage.EpochLog> e = o.refine().epochs();
            assertTrue(e.getLast().trainLoss() < e.getFirst().trainLoss(), "pooled dense " + pooledDense + ": loss falls " + e.getFirst().trainLoss() + " -> " + e.getLast().trainLoss());
            assertTrue(Double.isFinite(o.refine().test().get("relative_l2")));
            params[pooledDense ? 0 : 1] = o.parameters();
        }
        assertTrue(params[0] < params[1], "the pooled head has no weights: " + params[0] + " vs " + params[1]);
    }

    /** --objective mmd / euclidean through OrcaRun (not only the loss in isolation): stage 2 lowers that objective. */
    @Test
    void mmdAndEuclideanObjectivesThroughTheWholeRun() {
        java.util.Set<Double> before = new java.util.HashSet<>();
        for (Objective objective : List.of(Objective.MMD, Objective.EUCLIDEAN, Objective.OTDD)) {
            var s = new OrcaRun.Settings(OrcaRun.Method.ORCA, objective, 4, 16, 0, false, cfg(1, false));
            OrcaRun.Outcome o = OrcaRun.run(TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), TinyTask.body(),
                    () -> AlignmentLoss.create(objective, TinyTask.source()), s, Progress.SILENT);
            assertEquals(5, o.align().curve().length, objective + ": 4 embedder epochs plus the final evaluation");
            assertTrue(o.align().after() < o.align().before(), objective + " falls in stage 2: " + o.align().before() + " -> " + o.align().after());
            before.add(o.align().before());
        }
        assertEquals(3, before.size(), "same model and data, three objectives: three different stage-2 starting distances " + before);
        assertThrows(IllegalArgumentException.class, () -> Objective.parse("--objective", "wasserstein"));
    }

    /** A regression task (vector targets): trains, and beats predicting the training mean on held-out rows. */
    @Test
    void regressionTaskBeatsTheTrainingMean() {
        ArrayDataset x = TinyTask.data(72, 4);
        float[] y = new float[x.size()];
        for (int i = 0; i < y.length; i++) y[i] = x.labels()[i] == 1 ? 1.5f : -0.5f; // the class signal as a number
        ArrayDataset all = new ArrayDataset(x.features(), x.sampleShape(), new Targets.VectorTargets(y, 1));
        TaskSpec task = new TaskSpec("reg", all.sampleShape(), TaskSpec.OutputKind.REGRESSION, 1);
        ArrayDataset train = all.subset(dev.orcaj.data.Splits.range(0, 48)), val = all.subset(dev.orcaj.data.Splits.range(48, 60)), test = all.subset(dev.orcaj.data.Splits.range(60, 72));
        var s = new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 16, 0, false, cfg(30, false)); // ~0.5 s; 6 epochs learn nothing yet
        OrcaRun.Outcome o = OrcaRun.run(task, train, val, test, TinyTask.body(), () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, Progress.SILENT);
        double mean = 0;
        for (int i = 0; i < 48; i++) mean += y[i] / 48.0;
        double trivial = 0;
        for (int i = 60; i < 72; i++) trivial += (y[i] - mean) * (y[i] - mean) / 12.0;
        trivial = Math.sqrt(trivial);
        double rmse = o.refine().test().get("rmse");
        assertTrue(rmse < 0.5 * trivial, "test RMSE " + rmse + " below half the training mean's " + trivial);
    }

    /** pde:NAME:RES:N through TaskLoader: generated data, the leading 10% as test, a seeded validation split. */
    @Test
    void pdeSpecsThroughTheLoader() throws Exception {
        TaskLoader.LoadedTask adv = TaskLoader.load("pde:advection:32:40", 0.2, 0);
        assertEquals(TaskSpec.OutputKind.DENSE, adv.spec().kind());
        assertArrayEquals(new int[] {1, 32}, adv.spec().inputShape());
        assertEquals(4, adv.test().size(), "first 10% of 40");
        assertEquals(36, adv.train().size() + adv.val().size());
        assertEquals(7, adv.val().size(), "20% of the 36 training rows, rounded");
        assertEquals("pde-advection-32", adv.spec().name());
        TaskLoader.LoadedTask darcy = TaskLoader.load("pde:darcy:8:10", 0.2, 0);
        assertArrayEquals(new int[] {1, 8, 8}, darcy.spec().inputShape());
        assertEquals(1, darcy.test().size());
        TaskLoader.LoadedTask again = TaskLoader.load("pde:advection:32:40", 0.2, 0);
        assertArrayEquals(adv.test().features(), again.test().features(), "same spec and seed, same data");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load("pde:heat:32:10", 0.2, 0));
        assertTrue(e.getMessage().contains("pde:heat:32:10") && e.getMessage().contains("advection"), e.getMessage());
    }
}
