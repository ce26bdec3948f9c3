package dev.orcaj.orca.baselines;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.orca.Evaluator;
import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.TaskSpec;

import java.util.List;
import java.util.Map;

/**
 * The reference baselines of one task (issue 13): the trivial predictor and the linear model, each scored on the
 * validation and test splits with the methods' {@link Evaluator}. A trained model that does not beat both has learnt
 * nothing a linear map could not.
 *
 * @param linear        null where the task has no linear model; {@code linearMissing} then says why
 */
public record Reference(Baseline trivial, Baseline linear, String linearMissing) {

    /**
     * One baseline's scores.
     *
     * @param lambda    the chosen L2 strength (linear; NaN for the trivial predictor)
     * @param trials    the validation search over L2 strengths (linear; empty for the trivial predictor)
     * @param trainRows training rows it was fitted on (fewer than the split where {@link DesignMatrix#MAX_CELLS} capped them)
     * @param converged false where the logistic fit hit its iteration limit before its gradient tolerance
     */
    public record Baseline(String name, String model, Map<String, Double> validation, Map<String, Double> test, double lambda,
                           List<LinearPredictor.Trial> trials, int trainRows, boolean converged, double seconds) {}

    /** Fits both baselines on {@code train}; the linear model's L2 strength is chosen on {@code val} under {@code selection}. */
    public static Reference compute(TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, ModelSelection selection, long seed) {
        long t0 = System.nanoTime();
        TrivialPredictor trivial = TrivialPredictor.fit(task, train);
        Baseline tb = new Baseline("trivial", trivialModel(task), Evaluator.metrics(task, trivial.predict(val), val), Evaluator.metrics(task, trivial.predict(test), test),
                Double.NaN, List.of(), train.size(), true, (System.nanoTime() - t0) / 1e9);
        if (!LinearPredictor.supports(task)) return new Reference(tb, null, "no linear reference model for loss " + task.loss().flag());
        long t1 = System.nanoTime();
        LinearPredictor.Selected s;
        try {
            s = LinearPredictor.fitSelected(task, train, val, selection, DesignMatrix.MAX_CELLS, seed);
        } catch (ArithmeticException e) { // a baseline that cannot be fitted must not stop the run it accompanies
            return new Reference(tb, null, "linear model not fitted: " + e.getMessage());
        }
        Baseline lb = new Baseline("linear", LinearPredictor.describe(task), Evaluator.metrics(task, s.model().predict(val), val),
                Evaluator.metrics(task, s.model().predict(test), test), s.lambda(), s.trials(), s.trainRows(), s.converged(), (System.nanoTime() - t1) / 1e9);
        return new Reference(tb, lb, null);
    }

    /** The baselines present, trivial first. */
    public List<Baseline> all() { return linear == null ? List.of(trivial) : List.of(trivial, linear); }

    static String trivialModel(TaskSpec task) {
        return switch (task.kind()) {
            case CLASSES -> "majority class";
            case MULTILABEL -> "training frequency per label";
            case REGRESSION -> "training-mean target";
            case DENSE -> task.loss() == TaskSpec.Loss.MASKED_BCE ? "training-mean mask" : "training-mean field";
        };
    }
}
