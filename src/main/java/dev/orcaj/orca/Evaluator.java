package dev.orcaj.orca;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Splits;
import dev.orcaj.metrics.Accuracy;
import dev.orcaj.metrics.Auroc;
import dev.orcaj.metrics.AveragePrecision;
import dev.orcaj.metrics.MacroF1;
import dev.orcaj.metrics.Mae;
import dev.orcaj.metrics.Mae8;
import dev.orcaj.metrics.Nrmse;
import dev.orcaj.metrics.R2;
import dev.orcaj.metrics.RelativeL2;
import dev.orcaj.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model over a dataset without recording and computes the metrics of the task's family (spec section 5) over
 * all rows at once (the reference averages per-chunk metrics of 1000 rows; with fewer rows the two agree).
 */
public final class Evaluator {
    private Evaluator() {}

    /** Model outputs for every row, row-major, in chunks of {@code batch} rows. */
    public static float[] predict(OrcaModel model, ArrayDataset data, int batch) {
        model.train(false);
        int n = data.size();
        float[] out = null;
        int width = 0;
        try (var ng = Autograd.noGrad()) {
            for (int from = 0; from < n; from += batch) {
                int[] rows = dev.orcaj.data.Splits.range(from, Math.min(n, from + batch));
                float[] y = model.forward(Batches.inputs(data, rows)).toFloatArray();
                if (out == null) {
                    width = y.length / rows.length;
                    out = new float[n * width];
                }
                System.arraycopy(y, 0, out, from * width, y.length);
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        return out == null ? new float[0] : out;
    }

    /** Metrics of the task's family (see {@link #metricNames}); the first entry is the family's main metric. */
    public static Map<String, Double> metrics(TaskSpec task, float[] outputs, ArrayDataset data) { return metrics(task, outputs, data, false); }

    /**
     * As above; with {@code perLabel}, multi-label tasks also get each label's AUROC as {@code auroc_label_<i>} (left
     * out where a label has one class only). Values are as read: {@link #higherIsBetter} says which way is better.
     */
    public static Map<String, Double> metrics(TaskSpec task, float[] outputs, ArrayDataset data, boolean perLabel) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = data.size();
        if (task.kind() == TaskSpec.OutputKind.CLASSES) {
            int k = task.outputs();
            int[] y = data.labels();
            int[] pred = Accuracy.argmax(outputs, k);
            m.put("accuracy", Accuracy.of(y, pred));
            m.put("macro_f1", MacroF1.of(y, pred, k));
            if (allClassesPresent(y, k)) m.put("auroc", Auroc.ofProbabilities(y, softmaxRows(outputs, k), k));
            return m;
        }
        float[] t = Batches.targetTensor(data, Splits.range(0, n), task.targetShape()).toFloatArray();
        switch (task.loss()) {
            case BCE -> { // multi-label (spec 5: DEEPSEA 1 - mean AUROC, FSD 1 - mAP); scores are logits (monotone in sigmoid)
                m.put("auroc", Auroc.multiLabelMean(t, outputs, task.outputs()));
                m.put("map", AveragePrecision.meanOverLabels(t, outputs, task.outputs()));
                if (perLabel) {
                    double[] each = Auroc.perLabel(t, outputs, task.outputs());
                    for (int l = 0; l < each.length; l++) if (!Double.isNaN(each[l])) m.put("auroc_label_" + l, each[l]);
                }
            }
            case MSE -> {
                if (task.kind() == TaskSpec.OutputKind.REGRESSION) { // DRUG-*: 1 - R^2 (spec 5)
                    m.put("r2", R2.of(outputs, t));
                    m.put("rmse", Math.sqrt(mse(outputs, t))); // over all values (Rmse is the PDE per-sample form)
                    m.put("mae", Mae.of(outputs, t));
                } else { // PSICOV: MSE loss, MAE8 metric on square distance maps
                    if (hasDistanceMaps(task)) {
                        double mae8 = Mae8.of(outputs, t, n);
                        if (!Double.isNaN(mae8)) m.put("mae8", mae8);
                    }
                    m.put("mse", mse(outputs, t));
                    m.put("relative_l2", RelativeL2.of(outputs, t, n));
                }
            }
            case RELATIVE_L2 -> { // Darcy: relative L2; PDEBench: nRMSE
                m.put("relative_l2", RelativeL2.of(outputs, t, n));
                m.put("nrmse", Nrmse.of(outputs, t, n));
                m.put("mse", mse(outputs, t));
            }
            case MASKED_BCE -> pixelAuroc(outputs, t, n, m);
            case CROSS_ENTROPY -> throw new IllegalStateException("cross-entropy belongs to class tasks");
        }
        return m;
    }

    /** Every metric name {@link #metrics} can report for the task (per-label entries aside). */
    public static List<String> metricNames(TaskSpec task) {
        if (task.kind() == TaskSpec.OutputKind.CLASSES) return List.of("accuracy", "macro_f1", "auroc");
        return switch (task.loss()) {
            case BCE -> List.of("auroc", "map");
            case MSE -> task.kind() == TaskSpec.OutputKind.REGRESSION ? List.of("r2", "rmse", "mae")
                    : hasDistanceMaps(task) ? List.of("mae8", "mse", "relative_l2") : List.of("mse", "relative_l2");
            case RELATIVE_L2 -> List.of("relative_l2", "nrmse", "mse");
            case MASKED_BCE -> List.of("pixel_auroc", "pixel_auroc_thresholded");
            case CROSS_ENTROPY -> List.of();
        };
    }

    /** Whether a larger value of the metric is better (accuracy, F1, AUROC, mAP, R^2) or a smaller one (errors). */
    public static boolean higherIsBetter(String metric) {
        return switch (metric.startsWith("auroc_label_") ? "auroc" : metric) {
            case "accuracy", "macro_f1", "auroc", "map", "r2", "pixel_auroc", "pixel_auroc_thresholded" -> true;
            case "rmse", "mae", "mse", "mae8", "relative_l2", "nrmse" -> false;
            default -> throw new IllegalArgumentException("unknown metric '" + metric + "'");
        };
    }

    /** PSICOV-like targets: one channel of square 2D maps at least wide enough for MAE8's sequence separation. */
    static boolean hasDistanceMaps(TaskSpec task) {
        int[] s = task.spatial();
        return task.outputs() == 1 && s.length == 2 && s[0] == s[1] && s[0] > Mae8.MIN_SEPARATION;
    }

    /**
     * COSMIC (spec 5): targets are [mask channels, ignore channels]. pixel_auroc ranks the logits of the pixels not
     * ignored; pixel_auroc_thresholded is the reference's number, the AUROC of (logit > 0) against the mask over all
     * pixels (binary scores, so it reduces to balanced accuracy).
     */
    private static void pixelAuroc(float[] outputs, float[] t, int n, Map<String, Double> m) {
        int per = outputs.length / n;
        int kept = 0;
        for (int i = 0; i < n; i++) for (int p = 0; p < per; p++) if (t[(2 * i + 1) * per + p] < 0.5f) kept++;
        int[] yKept = new int[kept], yAll = new int[outputs.length];
        float[] sKept = new float[kept], thresholded = new float[outputs.length];
        int j = 0;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < per; p++) {
                int label = t[2 * i * per + p] > 0.5f ? 1 : 0;
                yAll[i * per + p] = label;
                thresholded[i * per + p] = outputs[i * per + p] > 0 ? 1 : 0;
                if (t[(2 * i + 1) * per + p] < 0.5f) {
                    yKept[j] = label;
                    sKept[j++] = outputs[i * per + p];
                }
            }
        }
        if (bothClasses(yKept)) m.put("pixel_auroc", Auroc.binary(yKept, sKept)); // undefined on an all-0 or all-1 mask
        if (bothClasses(yAll)) m.put("pixel_auroc_thresholded", Auroc.binary(yAll, thresholded));
    }

    private static boolean bothClasses(int[] y) {
        int ones = 0;
        for (int v : y) ones += v;
        return ones > 0 && ones < y.length;
    }

    private static double mse(float[] pred, float[] target) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) s += ((double) pred[i] - target[i]) * ((double) pred[i] - target[i]);
        return s / pred.length;
    }

    private static boolean allClassesPresent(int[] y, int k) {
        boolean[] seen = new boolean[k];
        for (int v : y) seen[v] = true;
        for (boolean s : seen) if (!s) return false;
        return true;
    }

    static float[] softmaxRows(float[] logits, int k) {
        float[] p = new float[logits.length];
        for (int r = 0; r < logits.length / k; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int c = 0; c < k; c++) max = Math.max(max, logits[r * k + c]);
            for (int c = 0; c < k; c++) sum += Math.exp(logits[r * k + c] - max);
            for (int c = 0; c < k; c++) p[r * k + c] = (float) (Math.exp(logits[r * k + c] - max) / sum);
        }
        return p;
    }
}
