package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Splits;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One tiny end-to-end ORCA run (stage 1, stage 2 OTDD alignment, stage 3) per task family of the paper, on data read
 * through {@link TaskLoader} from files (numpy-written fixtures where the format matters: npz multi-label, npy with an
 * ignore mask). Each checks that the family's loss trained the model and its metric selected it: with a learning rate
 * of 1e-12 and one batch per epoch the recorded epoch-1 training loss equals the loss of the saved model's outputs,
 * which the test computes itself with the family's formula (and which the other losses would not give).
 */
class TaskFamiliesTest {
    static final Path FIXTURES = Path.of("src/test/resources/tasks");

    @TempDir
    Path dir;

    record Run(TaskLoader.LoadedTask task, OrcaRun.Outcome outcome, float[] trainOutputs) {}

    /** ORCA with 2 alignment epochs and 1 refinement epoch whose single batch holds the whole training split. */
    Run run(TaskLoader.LoadedTask t, ModelSelection selection, double posWeight) throws Exception {
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-12, 0, 0.9, 1, t.train().size(), 1, 0, 0, 1, false, 0, false, posWeight, 3, selection);
        var settings = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 2, 16, 0, false, cfg);
        Path model = dir.resolve("model.safetensors");
        OrcaRun.Outcome o = OrcaRun.run(t.spec(), t.train(), t.val(), t.test(), TinyTask.body(), () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), settings,
                new Progress(System.out), new Checkpointer(null, model, 0, Map.of()), null);
        assertNotNull(o.align(), "stage 2 ran");
        assertEquals(3, o.align().curve().length, "2 alignment epochs plus the final evaluation");
        assertEquals(1, o.refine().epochs().size());
        float[] outputs = Evaluator.predict(Checkpoint.read(model).model(), t.train(), 256);
        return new Run(t, o, outputs);
    }

    static float[] targets(TaskLoader.LoadedTask t) {
        return Batches.targetTensor(t.train(), Splits.range(0, t.train().size()), t.spec().targetShape()).toFloatArray();
    }

    static double trainLoss(Run r) { return r.outcome().refine().epochs().getFirst().trainLoss(); }

    static double bce(double logit, double y, double posWeight) {
        double logSigmoid = -Math.log1p(Math.exp(-logit)), logOneMinus = -Math.log1p(Math.exp(logit));
        return -(posWeight * y * logSigmoid + (1 - y) * logOneMinus);
    }

    @Test
    void multiLabelFromNpzTrainsOnWeightedBceAndSelectsOnAuroc() throws Exception {
        TaskLoader.LoadedTask t = TaskLoader.load("npz:" + FIXTURES.resolve("multilabel.npz"), 0.25, 0);
        assertEquals(TaskSpec.OutputKind.MULTILABEL, t.spec().kind(), "0/1 float targets [n, 3] are multi-label, not regression");
        assertEquals(TaskSpec.Loss.BCE, t.spec().loss());
        assertEquals(3, t.spec().outputs());
        assertEquals(48, t.train().size() + t.val().size(), "x_val joins the 40 training rows");
        assertEquals(16, t.test().size());
        Run r = run(t, ModelSelection.defaults(t.spec(), false), 4);
        float[] y = targets(t), out = r.trainOutputs();
        double want = 0;
        for (int i = 0; i < y.length; i++) want += bce(out[i], y[i], 4);
        assertEquals(want / y.length, trainLoss(r), 1e-4, "BCE with logits, pos_weight 4");
        double unweighted = 0;
        for (int i = 0; i < y.length; i++) unweighted += bce(out[i], y[i], 1);
        assertTrue(Math.abs(unweighted / y.length - trainLoss(r)) > 1e-3, "pos_weight changed the loss");
        assertEquals("auroc", r.outcome().refine().selectMetric());
        Map<String, Double> test = r.outcome().refine().test();
        assertTrue(test.keySet().containsAll(List.of("auroc", "map", "auroc_label_0", "auroc_label_1", "auroc_label_2")), test.toString());
        double mean = (test.get("auroc_label_0") + test.get("auroc_label_1") + test.get("auroc_label_2")) / 3;
        assertEquals(mean, test.get("auroc"), 1e-12, "the reported AUROC is the mean over labels");
    }

    @Test
    void denseMseOnDistanceMapsSelectsOnMae8() throws Exception {
        int n = 20, l = 32;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[n * l * l], y = new float[n * l * l];
        for (int s = 0; s < n; s++) {
            double scale = 1 + rng.nextDouble();
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < l; j++) {
                    y[(s * l + i) * l + j] = (float) (scale * Math.sqrt(Math.abs(i - j))); // distance grows with sequence separation
                    x[(s * l + i) * l + j] = (float) (scale + 0.1 * rng.nextGaussian());
                }
            }
        }
        Path xf = dir.resolve("x.npy"), yf = dir.resolve("y.npy");
        Npy.write(xf, NdArray.ofFloats(x, n, 1, l, l));
        Npy.write(yf, NdArray.ofFloats(y, n, 1, l, l));
        TaskLoader.LoadedTask t = TaskLoader.load("npy:" + xf + "," + yf, 0.2, 0, new TaskLoader.Family(null, TaskSpec.Loss.MSE));
        assertEquals(TaskSpec.OutputKind.DENSE, t.spec().kind());
        Run r = run(t, ModelSelection.defaults(t.spec(), false), 0);
        float[] target = targets(t), out = r.trainOutputs();
        double want = 0;
        for (int i = 0; i < target.length; i++) want += (out[i] - target[i]) * (double) (out[i] - target[i]);
        assertEquals(want / target.length, trainLoss(r), 1e-4 * want / target.length, "mean squared error");
        assertEquals("mae8", r.outcome().refine().selectMetric(), "PSICOV's metric on square distance maps");
        assertTrue(r.outcome().refine().test().keySet().containsAll(List.of("mae8", "mse", "relative_l2")), r.outcome().refine().test().toString());
    }

    @Test
    void maskedBceWithIgnoreMaskSelectsOnPixelAuroc() throws Exception {
        String data = "npy:" + FIXTURES.resolve("cosmic_x.npy") + "," + FIXTURES.resolve("cosmic_y.npy") + "," + FIXTURES.resolve("cosmic_ignore.npy");
        TaskLoader.LoadedTask t = TaskLoader.load(data, 0.2, 0);
        assertEquals(TaskSpec.Loss.MASKED_BCE, t.spec().loss(), "an ignore mask implies COSMIC's masked BCE");
        assertEquals(1, t.spec().outputs());
        Run r = run(t, ModelSelection.defaults(t.spec(), false), 0);
        float[] target = targets(t), out = r.trainOutputs();
        int per = out.length / t.train().size();
        double want = 0;
        for (int s = 0; s < t.train().size(); s++) {
            for (int p = 0; p < per; p++) {
                double keep = 1 - target[(2 * s + 1) * per + p];
                want += bce(out[s * per + p] * keep, target[2 * s * per + p] * keep, 1);
            }
        }
        assertEquals(want / out.length, trainLoss(r), 1e-4, "BCE on outputs and masks multiplied by (1 - ignore)");
        assertEquals("pixel_auroc", r.outcome().refine().selectMetric());
        assertTrue(r.outcome().refine().test().containsKey("pixel_auroc"), r.outcome().refine().test().toString());
    }

    @Test
    void regressionSelectsOnR2AndReportsLast() throws Exception {
        int n = 40;
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = new float[n * 24], y = new float[n];
        for (int s = 0; s < n; s++) {
            y[s] = (float) rng.nextGaussian();
            for (int i = 0; i < 24; i++) x[s * 24 + i] = (float) (y[s] * Math.sin(i / 4.0) + 0.3 * rng.nextGaussian());
        }
        Path xf = dir.resolve("x.npy"), yf = dir.resolve("y.npy");
        Npy.write(xf, NdArray.ofFloats(x, n, 24));
        Npy.write(yf, NdArray.ofFloats(y, n));
        TaskLoader.LoadedTask t = TaskLoader.load("npy:" + xf + "," + yf, 0.2, 0);
        assertEquals(TaskSpec.OutputKind.REGRESSION, t.spec().kind());
        Run r = run(t, new ModelSelection("r2", ModelSelection.Reported.LAST), 0);
        float[] target = targets(t), out = r.trainOutputs();
        double want = 0;
        for (int i = 0; i < target.length; i++) want += (out[i] - target[i]) * (double) (out[i] - target[i]);
        assertEquals(want / target.length, trainLoss(r), 1e-4 * want / target.length, "mean squared error");
        RefineStage.Result res = r.outcome().refine();
        assertEquals("r2", res.selectMetric());
        assertEquals(ModelSelection.Reported.LAST, res.reported());
        assertEquals(res.testLast(), res.test());
        assertTrue(res.test().keySet().containsAll(List.of("r2", "rmse", "mae")), res.test().toString());
    }

    @Test
    void pdeBenchFileTrainsOnRelativeL2() throws Exception {
        int n = 20, t = 5, x = 32;
        float[][][] u = new float[n][t][x];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < n; i++) {
            double a = 1 + rng.nextDouble(), phase = rng.nextDouble() * 6;
            for (int k = 0; k < t; k++) for (int j = 0; j < x; j++) u[i][k][j] = (float) (a * Math.sin(2 * Math.PI * j / x + phase - 0.3 * k)); // advected wave
        }
        Path f = dir.resolve("1D_Advection_Sols_beta0.4.hdf5");
        try (var w = io.jhdf.HdfFile.write(f)) {
            w.putDataset("tensor", u);
        }
        TaskLoader.LoadedTask task = TaskLoader.load("pdebench:" + f, 0.2, 0);
        assertEquals(TaskSpec.Loss.RELATIVE_L2, task.spec().loss());
        assertArrayEquals(new int[] {1, 8}, task.spec().inputShape(), "advection at res/4");
        assertEquals(2, task.test().size(), "the first 10 % of the samples are the test set");
        assertArrayEquals(new float[] {u[1][0][0], u[1][0][4], u[1][0][8], u[1][0][12], u[1][0][16], u[1][0][20], u[1][0][24], u[1][0][28]}, task.test().sample(1), "input t = 0");
        assertEquals(u[1][4][4], ((dev.orcaj.data.Targets.DenseTargets) task.test().targets()).values()[8 + 1], "target: the last step");
        Run r = run(task, ModelSelection.defaults(task.spec(), false), 0);
        float[] target = targets(task), out = r.trainOutputs();
        int per = out.length / task.train().size();
        double want = 0;
        for (int s = 0; s < task.train().size(); s++) {
            double diff = 0, norm = 0;
            for (int p = 0; p < per; p++) {
                diff += Math.pow(out[s * per + p] - target[s * per + p], 2);
                norm += Math.pow(target[s * per + p], 2);
            }
            want += Math.sqrt(diff) / Math.sqrt(norm);
        }
        assertEquals(want / task.train().size(), trainLoss(r), 1e-4, "relative L2, per sample then averaged");
        assertEquals("relative_l2", r.outcome().refine().selectMetric());
        assertTrue(r.outcome().refine().test().keySet().containsAll(List.of("relative_l2", "nrmse")), r.outcome().refine().test().toString());
    }

    @Test
    void npzChannelsLastIsTransposed() throws Exception {
        float[] x = new float[2 * 3 * 4]; // [n = 2, L = 3, C = 4]
        for (int i = 0; i < x.length; i++) x[i] = i;
        java.util.Map<String, NdArray> a = new java.util.LinkedHashMap<>();
        a.put("x_train", NdArray.ofFloats(x, 2, 3, 4));
        a.put("y_train", NdArray.ofFloats(new float[] {0, 1, 1, 0}, 2, 2));
        a.put("x_test", NdArray.ofFloats(x, 2, 3, 4));
        a.put("y_test", NdArray.ofFloats(new float[] {1, 0, 0, 1}, 2, 2));
        Path f = dir.resolve("dna.npz");
        dev.orcaj.io.Npz.write(f, a, false);
        TaskLoader.LoadedTask t = TaskLoader.load("npz:" + f + "#channels-last", 0.5, 0);
        assertArrayEquals(new int[] {4, 3}, t.spec().inputShape());
        assertArrayEquals(new float[] {12, 16, 20, 13, 17, 21, 14, 18, 22, 15, 19, 23}, t.test().sample(1), "channel c of row 1 = x[1, :, c]");
        var e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load("npz:" + f + "#nlc", 0.5, 0));
        assertTrue(e.getMessage().contains("expected #channels-last"), e.getMessage());
    }

    @Test
    void familyAndLossAreCheckedAgainstTheData() throws Exception {
        String cosmic = "npy:" + FIXTURES.resolve("cosmic_x.npy") + "," + FIXTURES.resolve("cosmic_y.npy");
        var e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load(cosmic, 0.2, 0, new TaskLoader.Family(TaskSpec.OutputKind.MULTILABEL, null)));
        assertTrue(e.getMessage().contains("multi-label targets must be 0/1 values [n, labels]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load(cosmic, 0.2, 0, new TaskLoader.Family(null, TaskSpec.Loss.MASKED_BCE)));
        assertTrue(e.getMessage().contains("--loss masked-bce") && e.getMessage().contains("1 target channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskLoader.load("npz:" + FIXTURES.resolve("multilabel.npz"), 0.2, 0, new TaskLoader.Family(null, TaskSpec.Loss.MSE)));
        assertTrue(e.getMessage().contains("--loss mse does not fit the multilabel task"), e.getMessage());
        TaskLoader.LoadedTask asRegression = TaskLoader.load("npz:" + FIXTURES.resolve("multilabel.npz"), 0.2, 0, new TaskLoader.Family(TaskSpec.OutputKind.REGRESSION, null));
        assertEquals(TaskSpec.OutputKind.REGRESSION, asRegression.spec().kind(), "--task regression reads 0/1 targets as numbers");
        e = assertThrows(IllegalArgumentException.class, () -> ModelSelection.of("pixel_auroc", "best", asRegression.spec(), false));
        assertTrue(e.getMessage().contains("reports r2, rmse, mae"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelSelection.of("auto", "first", asRegression.spec(), false));
        assertEquals("auroc", ModelSelection.of("auto", "best", new TaskSpec("t", new int[] {1, 8}, TaskSpec.OutputKind.CLASSES, 3), true).metric(), "tabular: AUROC");
        assertEquals("accuracy", ModelSelection.of("auto", "best", new TaskSpec("t", new int[] {1, 8}, TaskSpec.OutputKind.CLASSES, 3), false).metric());
    }

    @Test
    void mae8FollowsTheReferenceDefinition() {
        int l = 30;
        float[] truth = new float[l * l], pred = new float[l * l];
        for (int i = 0; i < l; i++) for (int j = 0; j < l; j++) truth[i * l + j] = Math.abs(i - j) >= 28 ? 5f : 20f;
        // pairs (0,28),(0,29),(1,29) and mirrors: separation >= 24 and distance <= 8
        pred[28] = 7; pred[28 * l] = 5;   // symmetrised: 6 -> |6 - 5| = 1
        pred[29] = -3; pred[29 * l] = 0;  // symmetrised: -1.5, clamped to 0.01 -> 4.99
        pred[l + 29] = 5; pred[29 * l + 1] = 5; // exact -> 0
        double perPair = (1 + 4.99 + 0) * 2 / 6;
        assertEquals(perPair, dev.orcaj.metrics.Mae8.of(pred, truth, 1), 1e-6);
        float[] far = new float[l * l];
        java.util.Arrays.fill(far, 20f);
        assertTrue(Double.isNaN(dev.orcaj.metrics.Mae8.of(pred, far, 1)), "no pair within 8 A: undefined, as the reference's nan");
    }
}
