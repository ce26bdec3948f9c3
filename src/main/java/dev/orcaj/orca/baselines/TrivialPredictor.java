package dev.orcaj.orca.baselines;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.orca.TaskSpec;


/**
 * The predictor that ignores its input: the same output for every row, fitted on the training split. Classes: the
 * class frequencies as logits (argmax = the majority class; every row ties, so AUROC is 0.5). Multi-label: the logit of
 * each label's training frequency. Regression: the training-mean target. Dense: the training-mean field (masked BCE:
 * the logit of each pixel's mean mask over the rows where it is not ignored).
 */
public final class TrivialPredictor {
    private final float[] output; // one row of outputs

    private TrivialPredictor(float[] output) { this.output = output; }

    public static TrivialPredictor fit(TaskSpec task, ArrayDataset train) {
        int n = train.size();
        if (task.kind() == TaskSpec.OutputKind.CLASSES) {
            double[] freq = new double[task.outputs()];
            for (int l : train.labels()) freq[l] += 1.0 / n;
            return new TrivialPredictor(toFloats(freq));
        }
        float[] t = switch (train.targets()) {
            case Targets.VectorTargets v -> v.values();
            case Targets.DenseTargets dt -> dt.values();
            case Targets.ClassLabels c -> throw new IllegalArgumentException("task '" + task.name() + "' is " + task.kind().flag() + " but has class labels");
        };
        int width = t.length / n;
        if (task.loss() == TaskSpec.Loss.MASKED_BCE) {
            int per = width / 2; // [mask channels, ignore channels]
            double[] pos = new double[per], seen = new double[per];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < per; p++) {
                    if (t[i * width + per + p] >= 0.5f) continue;
                    seen[p]++;
                    pos[p] += t[i * width + p];
                }
            }
            double[] logit = new double[per];
            for (int p = 0; p < per; p++) logit[p] = logit(seen[p] > 0 ? pos[p] / seen[p] : 0.5);
            return new TrivialPredictor(toFloats(logit));
        }
        double[] mean = new double[width];
        for (int i = 0; i < n; i++) for (int j = 0; j < width; j++) mean[j] += t[i * width + j];
        for (int j = 0; j < width; j++) mean[j] /= n;
        if (task.kind() == TaskSpec.OutputKind.MULTILABEL) for (int j = 0; j < width; j++) mean[j] = logit(mean[j]);
        return new TrivialPredictor(toFloats(mean));
    }

    /** Outputs for every row of {@code data}, row-major, in the network's output format. */
    public float[] predict(ArrayDataset data) {
        float[] out = new float[data.size() * output.length];
        for (int i = 0; i < data.size(); i++) System.arraycopy(output, 0, out, i * output.length, output.length);
        return out;
    }

    /** The one output row (a copy). */
    public float[] output() { return output.clone(); }

    private static double logit(double p) {
        double q = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(q / (1 - q));
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }
}
