package dev.orcaj.orca;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.metrics.Accuracy;
import dev.orcaj.metrics.Auroc;
import dev.orcaj.metrics.MacroF1;
import dev.orcaj.metrics.RelativeL2;
import dev.orcaj.metrics.Rmse;
import dev.orcaj.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a model over a dataset without recording and computes the task metrics over all rows at once. */
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

    /** Metrics for the task kind; the first entry is the model-selection metric (higher is better). */
    public static Map<String, Double> metrics(TaskSpec task, float[] outputs, ArrayDataset data) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = data.size();
        switch (task.kind()) {
            case CLASSES -> {
                int k = task.outputs();
                int[] y = data.labels();
                int[] pred = Accuracy.argmax(outputs, k);
                m.put("accuracy", Accuracy.of(y, pred));
                m.put("macro_f1", MacroF1.of(y, pred, k));
                float[] probs = softmaxRows(outputs, k);
                if (allClassesPresent(y, k)) m.put("auroc", Auroc.ofProbabilities(y, probs, k));
            }
            case MULTILABEL -> {
                float[] t = Batches.targetTensor(data, dev.orcaj.data.Splits.range(0, n), task.outputShape()).toFloatArray();
                m.put("auroc", Auroc.multiLabelMean(t, outputs, task.outputs()));
            }
            case REGRESSION -> {
                float[] t = Batches.targetTensor(data, dev.orcaj.data.Splits.range(0, n), task.outputShape()).toFloatArray();
                m.put("neg_rmse", -Rmse.of(outputs, t, n));
                m.put("rmse", Rmse.of(outputs, t, n));
            }
            case DENSE -> {
                float[] t = Batches.targetTensor(data, dev.orcaj.data.Splits.range(0, n), task.outputShape()).toFloatArray();
                double rel = RelativeL2.of(outputs, t, n);
                m.put("neg_relative_l2", -rel);
                m.put("relative_l2", rel);
            }
        }
        return m;
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
