package dev.orcaj.orca.baselines;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Splits;
import dev.orcaj.data.Targets;
import dev.orcaj.orca.Evaluator;
import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.TaskSpec;
import org.ejml.data.DMatrixRMaj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The linear reference model on the flattened, standardized input: multinomial logistic regression for classes, one
 * logistic regression per label for multi-label tasks, ridge regression for regression and dense targets (one output
 * per target value, i.e. a linear map from input field to output field). Its L2 strength is the one of a small grid
 * whose model scores best on the validation split under the run's selection metric; ties go to the stronger penalty.
 * Not available for masked-BCE (COSMIC-like) tasks.
 */
public final class LinearPredictor {
    /** L2 strengths tried, strongest first (penalty per training row on standardized features). */
    static final double[] RIDGE_GRID = {10, 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6};
    static final double[] LOGISTIC_GRID = {1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5};
    private static final int CHUNK = 1024;

    /** One point of the validation search: the L2 strength and the selection metric's value on the validation split (as read, not negated). */
    public record Trial(double lambda, String metric, double validation) {}

    /** The chosen model, its L2 strength, the validation search and the training rows it was fitted on. */
    public record Selected(LinearPredictor model, double lambda, List<Trial> trials, int trainRows, boolean converged) {}

    private final DesignMatrix design;
    private final Ridge.Fit ridge;
    private final double[] logistic;

    private LinearPredictor(DesignMatrix design, Ridge.Fit ridge, double[] logistic) {
        this.design = design;
        this.ridge = ridge;
        this.logistic = logistic;
    }

    /** Whether the task has a linear reference model (all but masked BCE). */
    public static boolean supports(TaskSpec task) { return task.loss() != TaskSpec.Loss.MASKED_BCE; }

    /** What the model is, in words, for the report. */
    public static String describe(TaskSpec task) {
        return switch (task.kind()) {
            case CLASSES -> "multinomial logistic regression";
            case MULTILABEL -> "logistic regression per label";
            case REGRESSION, DENSE -> "ridge regression";
        };
    }

    /** Fits one model per grid strength on {@code train} (at most {@code maxCells} input values) and keeps the best on {@code val}. */
    public static Selected fitSelected(TaskSpec task, ArrayDataset train, ArrayDataset val, ModelSelection selection, long maxCells, long seed) {
        if (!supports(task)) throw new IllegalArgumentException("task '" + task.name() + "': no linear reference model for loss " + task.loss().flag());
        DesignMatrix design = DesignMatrix.fit(train, maxCells, seed);
        DMatrixRMaj x = design.training(train), y = targets(task, train, design.rows);
        List<Trial> trials = new ArrayList<>();
        LinearPredictor best = null;
        double bestScore = Double.NEGATIVE_INFINITY, bestLambda = Double.NaN;
        boolean converged = true;
        if (task.kind() == TaskSpec.OutputKind.CLASSES || task.kind() == TaskSpec.OutputKind.MULTILABEL) {
            Logistic fit = new Logistic(x, y, task.kind() == TaskSpec.OutputKind.CLASSES ? Logistic.Link.SOFTMAX : Logistic.Link.SIGMOID);
            double[] start = null;
            boolean bestConverged = true;
            for (double lambda : LOGISTIC_GRID) {
                Lbfgs.Result r = fit.fit(lambda, start);
                start = r.x();
                LinearPredictor candidate = new LinearPredictor(design, null, r.x());
                Map<String, Double> v = Evaluator.metrics(task, candidate.predict(val), val);
                double score = selection.score(v);
                trials.add(new Trial(lambda, selection.metric(), v.getOrDefault(selection.metric(), Double.NaN)));
                if (score > bestScore) { bestScore = score; best = candidate; bestLambda = lambda; bestConverged = r.converged(); }
            }
            converged = bestConverged;
        } else {
            Ridge ridge = new Ridge(x, y);
            for (double lambda : RIDGE_GRID) {
                LinearPredictor candidate = new LinearPredictor(design, ridge.fit(lambda), null);
                Map<String, Double> v = Evaluator.metrics(task, candidate.predict(val), val);
                double score = selection.score(v);
                trials.add(new Trial(lambda, selection.metric(), v.getOrDefault(selection.metric(), Double.NaN)));
                if (score > bestScore) { bestScore = score; best = candidate; bestLambda = lambda; }
            }
        }
        if (best == null) throw new ArithmeticException("task '" + task.name() + "': no linear model scored a finite validation metric");
        return new Selected(best, bestLambda, List.copyOf(trials), design.rows.length, converged);
    }

    /** Outputs for every row of {@code data}, row-major: logits (classes, labels) or values (regression, dense). */
    public float[] predict(ArrayDataset data) {
        int n = data.size();
        float[] out = null;
        for (int from = 0; from < n; from += CHUNK) {
            int[] rows = Splits.range(from, Math.min(n, from + CHUNK));
            DMatrixRMaj x = design.standardized(data, rows);
            DMatrixRMaj y = ridge != null ? ridge.predict(x) : Logistic.logits(x, logistic);
            if (out == null) out = new float[n * y.numCols];
            for (int i = 0; i < y.data.length && i < rows.length * y.numCols; i++) out[from * y.numCols + i] = (float) y.data[i];
        }
        return out == null ? new float[0] : out;
    }

    /** Targets of the used rows as [rows, outputs]: one-hot classes, 0/1 labels, or values. */
    static DMatrixRMaj targets(TaskSpec task, ArrayDataset data, int[] rows) {
        if (task.kind() == TaskSpec.OutputKind.CLASSES) {
            int k = task.outputs();
            DMatrixRMaj y = new DMatrixRMaj(rows.length, k);
            int[] labels = data.labels();
            for (int i = 0; i < rows.length; i++) y.data[i * k + labels[rows[i]]] = 1;
            return y;
        }
        float[] t = switch (data.targets()) {
            case Targets.VectorTargets v -> v.values();
            case Targets.DenseTargets dt -> dt.values();
            case Targets.ClassLabels c -> throw new IllegalArgumentException("task '" + task.name() + "' is " + task.kind().flag() + " but has class labels");
        };
        int w = t.length / data.size();
        DMatrixRMaj y = new DMatrixRMaj(rows.length, w);
        for (int i = 0; i < rows.length; i++) for (int j = 0; j < w; j++) y.data[i * w + j] = t[rows[i] * w + j];
        return y;
    }
}
