package dev.orcaj.suite;

import java.util.List;
import java.util.Map;

/**
 * Runs one cell of a suite and returns what was measured. The suite package does not know how a run is carried out
 * (the command line supplies an executor that runs {@code orca run}; tests supply their own).
 */
public interface RunExecutor {

    /**
     * @param selectMetric the validation metric that selected the reported epoch (the default compared metric)
     * @param reference    test metrics of the reference baselines by name (e.g. trivial, linear); empty when the run had none
     * @param settings     the run's effective settings, as its metrics.json states them
     * @param alignSeconds stage-2 time, NaN without stage 2
     * @param alignBefore  the stage-2 objective before the embedder epochs, NaN without stage 2 (alignAfter: after them)
     * @param curve        the selection metric on the validation split after each stage-3 epoch
     * @param bestEpoch    the selected epoch (1-based); equal to curve.size() when the last epoch was the best
     */
    record Result(Map<String, Double> test, Map<String, Double> validation, String selectMetric, Map<String, Map<String, Double>> reference,
                  Map<String, Object> settings, double alignSeconds, double refineSeconds, double alignBefore, double alignAfter,
                  List<Double> curve, int bestEpoch) {}

    Result run(SuiteSpec suite, SuiteCell cell) throws Exception;
}
