package dev.orcaj.orca.baselines;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.metrics.RelativeL2;
import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TaskSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference baselines of a task, scored by the Evaluator: trivial predictors by their closed forms, the linear model's selection. */
class ReferenceTest {
    static ArrayDataset classes(int[] labels, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[labels.length * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return new ArrayDataset(x, new int[] {1, 3}, new Targets.ClassLabels(labels, k));
    }

    @Test
    void trivialClassifierPredictsTheTrainingMajority() {
        TaskSpec task = new TaskSpec("t", new int[] {1, 3}, TaskSpec.OutputKind.CLASSES, 3);
        ArrayDataset train = classes(new int[] {2, 2, 2, 0, 1, 2, 0}, 3, 1); // majority 2
        ArrayDataset test = classes(new int[] {0, 0, 0, 2, 1}, 3, 2); // test majority is 0: the trivial model must not peek
        Reference r = Reference.compute(task, train, train, test, ModelSelection.defaults(task, false), 0);
        assertEquals(1.0 / 5, r.trivial().test().get("accuracy"), 1e-12, "one test row has the training majority class");
        assertEquals(0.5, r.trivial().test().get("auroc"), 1e-12, "constant scores rank nothing");
        assertEquals("majority class", r.trivial().model());
    }

    @Test
    void trivialDenseModelIsTheTrainingMeanField() {
        TaskSpec task = new TaskSpec("f", new int[] {1, 4}, TaskSpec.OutputKind.DENSE, 1);
        float[] yTrain = {1, 2, 3, 4, 3, 2, 1, 0}, yTest = {0, 0, 1, 1, 2, 2, 2, 2, 5, 1, 0, 1};
        ArrayDataset train = new ArrayDataset(new float[8], new int[] {1, 4}, new Targets.DenseTargets(yTrain, new int[] {1, 4}));
        ArrayDataset test = new ArrayDataset(new float[12], new int[] {1, 4}, new Targets.DenseTargets(yTest, new int[] {1, 4}));
        TrivialPredictor p = TrivialPredictor.fit(task, train);
        assertArrayEquals(new float[] {2, 2, 2, 2}, p.output(), "per-position training mean");
        float[] mean = new float[12];
        Arrays.fill(mean, 2f);
        Reference r = Reference.compute(task, train, train, test, ModelSelection.defaults(task, false), 0);
        assertEquals(RelativeL2.of(mean, yTest, 3), r.trivial().test().get("relative_l2"), 1e-12);
    }

    @Test
    void trivialMultiLabelModelPredictsEachLabelsFrequency() {
        TaskSpec task = new TaskSpec("m", new int[] {1, 2}, TaskSpec.OutputKind.MULTILABEL, 2);
        ArrayDataset train = new ArrayDataset(new float[8], new int[] {1, 2}, new Targets.VectorTargets(new float[] {1, 0, 1, 0, 0, 1, 1, 0}, 2));
        float[] logits = TrivialPredictor.fit(task, train).output();
        assertEquals(0.75, 1 / (1 + Math.exp(-logits[0])), 1e-6);
        assertEquals(0.25, 1 / (1 + Math.exp(-logits[1])), 1e-6);
    }

    /** Advection is a shift of the initial field: a linear map, which the ridge model must find almost exactly. */
    @Test
    void ridgeRecoversTheLinearAdvectionOperator() throws Exception {
        var t = TaskLoader.load("pde:advection:32:120", 0.2, 0);
        Reference r = Reference.compute(t.spec(), t.train(), t.val(), t.test(), ModelSelection.defaults(t.spec(), false), 0);
        assertEquals("ridge regression", r.linear().model());
        double linear = r.linear().test().get("relative_l2"), trivial = r.trivial().test().get("relative_l2");
        assertTrue(linear < 0.02 && trivial > 0.5, "linear " + linear + ", trivial " + trivial);
        assertEquals(LinearPredictor.RIDGE_GRID.length, r.linear().trials().size(), "every grid strength was tried on the validation split");
    }

    @Test
    void validationPicksWeakPenaltyForExactTargetsAndStrongPenaltyForNoise() {
        int n = 200, d = 5;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[n * d], exact = new float[n], noise = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) x[i * d + j] = (float) rng.nextGaussian();
            exact[i] = x[i * d] - 2 * x[i * d + 3] + 0.5f;
            noise[i] = (float) rng.nextGaussian();
        }
        TaskSpec task = new TaskSpec("r", new int[] {1, d}, TaskSpec.OutputKind.REGRESSION, 1);
        int[][] split = {dev.orcaj.data.Splits.range(0, 100), dev.orcaj.data.Splits.range(100, 150), dev.orcaj.data.Splits.range(150, 200)};
        for (float[] y : new float[][] {exact, noise}) {
            ArrayDataset all = new ArrayDataset(x, new int[] {1, d}, new Targets.VectorTargets(y, 1));
            Reference r = Reference.compute(task, all.subset(split[0]), all.subset(split[1]), all.subset(split[2]), ModelSelection.defaults(task, false), 0);
            double[] grid = LinearPredictor.RIDGE_GRID;
            if (y == exact) {
                assertEquals(grid[grid.length - 1], r.linear().lambda(), 0, "exact linear targets: the weakest penalty");
                assertTrue(r.linear().test().get("r2") > 0.999999, "and a perfect fit: " + r.linear().test());
            } else {
                // by chance a noise sample can favour 1 over 10; what matters is that it shrinks towards the mean
                assertTrue(r.linear().lambda() >= 1, "targets independent of the input: a strong penalty, got " + r.linear().lambda());
                assertTrue(r.linear().test().get("r2") < 0.05, "and nothing explained: " + r.linear().test());
            }
        }
    }

    @Test
    void largeTrainingSplitsAreFittedOnASeededSubsetOfRows() {
        ArrayDataset train = classes(new int[1000], 1, 0);
        DesignMatrix a = DesignMatrix.fit(train, 300, 7), b = DesignMatrix.fit(train, 300, 7);
        assertEquals(100, a.rows.length, "300 cells / 3 features");
        assertArrayEquals(a.rows, b.rows, "same seed, same rows");
        assertTrue(Arrays.stream(a.rows).distinct().count() == 100 && a.rows[99] < 1000, "distinct rows of the split");
        for (int i = 1; i < a.rows.length; i++) assertTrue(a.rows[i] > a.rows[i - 1], "kept in data order");
    }

    @Test
    void maskedBceTasksHaveNoLinearModelAndSayWhy() {
        TaskSpec task = new TaskSpec("c", new int[] {1, 2}, TaskSpec.OutputKind.DENSE, 1, TaskSpec.Loss.MASKED_BCE);
        ArrayDataset d = new ArrayDataset(new float[4], new int[] {1, 2}, new Targets.DenseTargets(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, new int[] {2, 2}));
        Reference r = Reference.compute(task, d, d, d, ModelSelection.defaults(task, false), 0);
        assertNull(r.linear());
        assertTrue(r.linearMissing().contains("masked-bce"));
    }

    /**
     * Non-finite inputs (which the run itself then refuses with a message naming the split) leave no linear model to
     * select: the baseline says so instead of failing before the run's own check.
     */
    @Test
    void aLinearModelThatCannotBeFittedIsReportedNotThrown() {
        TaskSpec task = new TaskSpec("z", new int[] {1, 2}, TaskSpec.OutputKind.DENSE, 1);
        float[] x = {1, 2, 3, Float.NaN, 0, 2};
        ArrayDataset train = new ArrayDataset(x, new int[] {1, 2}, new Targets.DenseTargets(new float[] {1, 0, 2, 1, 0, 3}, new int[] {1, 2}));
        Reference r = Reference.compute(task, train, train, train, ModelSelection.defaults(task, false), 0);
        assertNull(r.linear());
        assertTrue(r.linearMissing().startsWith("linear model not fitted"), r.linearMissing());
    }
}
