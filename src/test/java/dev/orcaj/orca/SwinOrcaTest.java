package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.swin.SwinModel;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ORCA with a Swin body (spec 1.1/1.2): 2D inputs resized into the pretrained patch embedding, 1D inputs on a square grid, the CIFAR proxy. */
class SwinOrcaTest {
    static final Path DATA = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data");
    static SwinModel swin;

    @BeforeAll
    static void load() throws Exception { swin = (SwinModel) Bodies.load(DATA.resolve("weights/tiny-swin")); } // image 32, patch 4, embed 16, 2 stages

    static ArrayDataset data(int n, int[] shape, Targets targets, long seed) {
        int size = n;
        for (int s : shape) size *= s;
        float[] x = Tensor.randn(DType.F32, new SplittableRandom(seed), 1, size).toFloatArray();
        return new ArrayDataset(x, shape, targets);
    }

    @Test
    void twoDimensionalInputIsResizedAndTheTiledPretrainedPatchConvIsReused() {
        TaskSpec task = new TaskSpec("img", new int[] {4, 20, 20}, TaskSpec.OutputKind.CLASSES, 3);
        Embedder e = new Embedder(task, swin, 0, new SplittableRandom(1));
        assertTrue(e.plan.resize());
        assertEquals(4, e.plan.k());
        assertEquals(64, e.plan.tokens(), "32x32 image, patch 4 -> 8x8 tokens");
        float[] pretrained = swin.embeddings.projection.weight.get().toFloatArray(), tiled = e.weight.get().toFloatArray();
        int area = 16;
        for (int d = 0; d < 16; d++) {
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < area; i++) assertEquals(pretrained[(d * 3 + c % 3) * area + i], tiled[(d * 4 + c) * area + i], 0f, "channel " + c + " copies pretrained channel " + c % 3);
            }
        }
        assertArrayEquals(swin.embeddings.projection.bias.get().toFloatArray(), e.bias.get().toFloatArray());
        assertArrayEquals(new int[] {2, 64, 16}, e.forward(Tensor.zeros(2, 4, 20, 20)).shape());
    }

    @Test
    void oneDimensionalInputFillsASquareGrid() {
        assertEquals(1, PatchPlan.squareTokens(new int[] {64}, 64, 0).k());
        assertEquals(2, PatchPlan.squareTokens(new int[] {50}, 64, 0).k(), "50/2 = 25 = 5x5");
        assertThrows(IllegalArgumentException.class, () -> PatchPlan.squareTokens(new int[] {7}, 64, 3));
        TaskSpec task = new TaskSpec("seq", new int[] {2, 50}, TaskSpec.OutputKind.CLASSES, 2);
        Embedder e = new Embedder(task, swin, 0, new SplittableRandom(2));
        Predictor p = new Predictor(task, e.plan, swin, false, new SplittableRandom(3));
        OrcaModel m = new OrcaModel(e, swin, p);
        assertArrayEquals(new int[] {3, 2}, m.forward(Tensor.zeros(3, 2, 50)).shape());
    }

    @Test
    void denseOutputsComeBackAtTheInputResolution() {
        TaskSpec task = new TaskSpec("field", new int[] {1, 12, 12}, TaskSpec.OutputKind.DENSE, 2);
        Embedder e = new Embedder(task, swin, 0, new SplittableRandom(4));
        Predictor p = new Predictor(task, e.plan, swin, false, new SplittableRandom(5));
        Tensor y = new OrcaModel(e, swin, p).forward(Tensor.randn(DType.F32, new SplittableRandom(6), 1, 2, 1, 12, 12));
        assertArrayEquals(new int[] {2, 2, 12, 12}, y.shape(), "4x4 output tokens x (patch 4 x merge 2) = 32 px, resized back to 12");
    }

    @Test
    void allStagesRunWithTheCifarProxy() {
        SourceFeatures src = SourceProxy.images(swin, DATA.resolve("cifar10-jpg/cifar10_test_jpg.zip"), "test/", 100, null);
        assertEquals(100, src.n());
        assertEquals(16, src.dim());
        assertEquals(10, src.numClasses());
        TaskSpec task = new TaskSpec("img", new int[] {1, 16, 16}, TaskSpec.OutputKind.CLASSES, 3);
        // three disjoint splits drawn with different seeds: the test rows are seen neither in training nor in model selection
        ArrayDataset train = shiftedByClass(48, task.inputShape(), 7), val = shiftedByClass(12, task.inputShape(), 8), test = shiftedByClass(30, task.inputShape(), 9);
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 2, 16, 1, 1.0, 0, 2, false, 0, false, 0, 0);
        var settings = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 5, 16, 0, false, cfg);
        OrcaRun.Outcome o = OrcaRun.run(task, train, val, test, () -> {
            try { return Bodies.load(DATA.resolve("weights/tiny-swin")); } catch (Exception ex) { throw new RuntimeException(ex); }
        }, () -> AlignmentLoss.create(Objective.OTDD, src), settings, Progress.SILENT);
        assertTrue(o.align().after() < o.align().before(), "stage 2 lowers the OTDD to the CIFAR proxy: " + o.align().before() + " -> " + o.align().after());
        assertTrue(Double.isFinite(o.refine().epochs().getLast().trainLoss()));
        // measured 0.967; a model at chance (1/3) reaches 0.6 on 30 rows with probability ~0.1% (18 of 30, 3 sd above 10)
        double accuracy = o.refine().test().get("accuracy");
        assertTrue(accuracy >= 0.6, "held-out test accuracy " + accuracy + " well above the majority class's 1/3");
    }

    /** {@code n} noise images whose class (i mod 3) shifts every pixel by 0.5 * (class - 1): learnable in a few steps. */
    static ArrayDataset shiftedByClass(int n, int[] shape, long seed) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        ArrayDataset noise = data(n, shape, new Targets.ClassLabels(labels, 3), seed);
        float[] x = noise.features();
        int size = x.length / n;
        for (int i = 0; i < x.length; i++) x[i] += 0.5f * (labels[i / size] - 1);
        return noise;
    }
}
