package dev.orcaj.orca.baselines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ridge and logistic regression against golden numbers computed independently by numpy
 * (src/test/resources/baselines/golden.py: the primal normal equations solved directly, Newton's method for the
 * logistic fit) on the same closed-form float32 data, plus the optimality condition of the multinomial fit.
 */
class LinearModelsTest {
    static JsonNode golden;

    @BeforeAll
    static void readGolden() throws Exception {
        try (var in = LinearModelsTest.class.getResourceAsStream("/baselines/golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    /** golden.py features(n, d, phase), as float32. */
    static float[] features(int n, int d, int phase) {
        float[] x = new float[n * d];
        for (int r = 0; r < n; r++) {
            double i = r + phase;
            for (int j = 0; j < d; j++) x[r * d + j] = (float) (Math.sin(0.37 * (i + 1) * (j + 1)) + 0.1 * j + 0.05 * Math.cos(1.3 * i * j));
        }
        return x;
    }

    /** golden.py targets(x, m), as float32. */
    static float[] targets(float[] x, int n, int d, int m) {
        float[] y = new float[n * m];
        for (int i = 0; i < n; i++) {
            double x0 = x[i * d], x1 = x[i * d + 1], last = x[i * d + d - 1];
            for (int k = 0; k < m; k++) y[i * m + k] = (float) (x0 * (k + 1) - 0.5 * last + 0.3 * Math.cos(0.11 * i * (k + 1)) + 0.2 * Math.sin(x0 * x1));
        }
        return y;
    }

    /** golden.py labels(x): 1 above the median score. */
    static int[] labels(float[] x, int n, int d) {
        double[] score = new double[n];
        for (int i = 0; i < n; i++) score[i] = x[i * d] - 0.7 * x[i * d + 1] + 0.4 * Math.sin(3.0 * x[i * d + 2]);
        double[] sorted = score.clone();
        java.util.Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = score[i] > median ? 1 : 0;
        return l;
    }

    static ArrayDataset dataset(float[] x, int d, Targets t) { return new ArrayDataset(x, new int[] {1, d}, t); }

    @Test
    void ridgeMatchesNumpyNormalEquationsPrimalAndDual() {
        for (String which : new String[] {"ridge_primal", "ridge_dual"}) {
            JsonNode g = golden.get(which);
            int n = g.get("n").asInt(), d = g.get("d").asInt(), m = g.get("m").asInt();
            float[] x = features(n, d, 0);
            ArrayDataset train = dataset(x, d, new Targets.VectorTargets(targets(x, n, d, m), m));
            ArrayDataset test = dataset(features(7, d, 100), d, new Targets.VectorTargets(new float[7 * m], m));
            DesignMatrix design = DesignMatrix.fit(train, DesignMatrix.MAX_CELLS, 0);
            Ridge.Fit fit = new Ridge(design.training(train), new DMatrixRMaj(n, m, true, toDoubles(targets(x, n, d, m)))).fit(g.get("lambda").asDouble());
            DMatrixRMaj p = fit.predict(design.standardized(test, dev.orcaj.data.Splits.range(0, 7)));
            JsonNode want = g.get("test_predictions");
            assertEquals(want.size(), p.data.length);
            for (int i = 0; i < want.size(); i++) assertEquals(want.get(i).asDouble(), p.data[i], 1e-9 * (1 + Math.abs(want.get(i).asDouble())), which + " prediction " + i);
        }
    }

    @Test
    void ridgeSolvesItsNormalEquations() {
        int n = 25, d = 4, m = 2;
        float[] x = features(n, d, 3);
        double[] y = toDoubles(targets(x, n, d, m));
        ArrayDataset train = dataset(x, d, new Targets.VectorTargets(targets(x, n, d, m), m));
        DMatrixRMaj xs = DesignMatrix.fit(train, DesignMatrix.MAX_CELLS, 0).training(train);
        double lambda = 0.3;
        Ridge.Fit fit = new Ridge(xs, new DMatrixRMaj(n, m, true, y)).fit(lambda);
        DMatrixRMaj w = fit.weights();
        double[] b = fit.intercept();
        // gradient of (1/n)||X W + b - Y||^2 + lambda ||W||^2, written out: (2/n) X^T (X W + b - Y) + 2 lambda W = 0
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < m; k++) {
                double g = 0;
                for (int i = 0; i < n; i++) {
                    double r = b[k] - y[i * m + k];
                    for (int q = 0; q < d; q++) r += xs.get(i, q) * w.get(q, k);
                    g += 2.0 / n * xs.get(i, j) * r;
                }
                g += 2 * lambda * w.get(j, k);
                assertEquals(0, g, 1e-10, "normal equation (" + j + ", " + k + ")");
            }
        }
    }

    @Test
    void binaryLogisticMatchesNumpyNewton() {
        JsonNode g = golden.get("logistic");
        int n = g.get("n").asInt(), d = g.get("d").asInt();
        double lambda = g.get("lambda").asDouble();
        float[] x = features(n, d, 0);
        int[] l = labels(x, n, d);
        ArrayDataset train = dataset(x, d, new Targets.ClassLabels(l, 2));
        DMatrixRMaj xs = DesignMatrix.fit(train, DesignMatrix.MAX_CELLS, 0).training(train);
        // one sigmoid (the multi-label link with one label), same objective as golden.py
        DMatrixRMaj single = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) single.data[i] = l[i];
        Lbfgs.Result r = new Logistic(xs, single, Logistic.Link.SIGMOID).fit(lambda, null);
        assertTrue(r.converged(), "L-BFGS reaches its gradient tolerance: " + r);
        for (int j = 0; j < d; j++) assertEquals(g.get("weights").get(j).asDouble(), r.x()[j], 1e-5, "sigmoid weight " + j);
        assertEquals(g.get("intercept").asDouble(), r.x()[d], 1e-5, "sigmoid intercept");
        // softmax over two classes with penalty lambda on both columns is the binary model with lambda / 2 on w1 - w0
        DMatrixRMaj oneHot = LinearPredictor.targets(new dev.orcaj.orca.TaskSpec("t", new int[] {1, d}, dev.orcaj.orca.TaskSpec.OutputKind.CLASSES, 2), train,
                dev.orcaj.data.Splits.range(0, n));
        Lbfgs.Result s = new Logistic(xs, oneHot, Logistic.Link.SOFTMAX).fit(2 * lambda, null);
        for (int j = 0; j < d; j++) assertEquals(g.get("weights").get(j).asDouble(), s.x()[j * 2 + 1] - s.x()[j * 2], 1e-5, "softmax weight difference " + j);
        assertEquals(g.get("intercept").asDouble(), s.x()[2 * d + 1] - s.x()[2 * d], 1e-5, "softmax intercept difference");
    }

    @Test
    void multinomialGradientIsExactAndZeroAtTheFit() {
        int n = 50, d = 5, k = 3;
        float[] x = features(n, d, 7);
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = Math.floorMod((int) Math.floor(3 * x[i * d] + 2 * x[i * d + 3]), k);
        ArrayDataset train = dataset(x, d, new Targets.ClassLabels(l, k));
        DMatrixRMaj xs = DesignMatrix.fit(train, DesignMatrix.MAX_CELLS, 0).training(train);
        DMatrixRMaj y = LinearPredictor.targets(new dev.orcaj.orca.TaskSpec("t", new int[] {1, d}, dev.orcaj.orca.TaskSpec.OutputKind.CLASSES, k), train,
                dev.orcaj.data.Splits.range(0, n));
        Logistic model = new Logistic(xs, y, Logistic.Link.SOFTMAX);
        double lambda = 1e-2;
        double[] theta = new double[model.parameters()], grad = new double[theta.length], ignored = new double[theta.length];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < theta.length; i++) theta[i] = rng.nextGaussian() * 0.5;
        model.valueAndGradient(theta, lambda, grad);
        for (int i = 0; i < theta.length; i++) { // central differences of the objective value
            double h = 1e-6, keep = theta[i];
            theta[i] = keep + h;
            double up = model.valueAndGradient(theta, lambda, ignored);
            theta[i] = keep - h;
            double down = model.valueAndGradient(theta, lambda, ignored);
            theta[i] = keep;
            assertEquals((up - down) / (2 * h), grad[i], 1e-7, "gradient entry " + i);
        }
        Lbfgs.Result r = model.fit(lambda, null);
        assertTrue(r.converged() && r.gradMax() <= Logistic.GRAD_TOL, "the fit stops at a stationary point: " + r.gradMax());
        model.valueAndGradient(r.x(), lambda, grad);
        for (double v : grad) assertEquals(0, v, 1e-6);
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
