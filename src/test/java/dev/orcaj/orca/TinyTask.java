package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.io.BertConfig;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/** A tiny random BERT body and a small generated two-class task, so that whole runs take well under a second. */
public final class TinyTask {
    public static final BertConfig CONFIG = new BertConfig("bert", 16, 16, 2, 2, 32, "gelu", 16, 2, 1e-12, 0);
    public static final TaskSpec SPEC = new TaskSpec("tiny", new int[] {1, 24}, TaskSpec.OutputKind.CLASSES, 2);

    private TinyTask() {}

    public static Supplier<Body> body() { return () -> Bodies.random(CONFIG, 7); }

    /** {@code n} rows [1, 24]: noise plus a class-dependent sine, labels alternating. */
    public static ArrayDataset data(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 24];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int t = 0; t < 24; t++) x[i * 24 + t] = (float) (rng.nextGaussian() * 0.5 + (y[i] == 1 ? Math.sin(t / 3.0) : Math.cos(t / 3.0)));
        }
        return new ArrayDataset(x, new int[] {1, 24}, new Targets.ClassLabels(y, 2));
    }

    /** A labelled random source proxy of the body's width (3 classes). */
    public static SourceFeatures source() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 30, d = CONFIG.hiddenSize();
        float[] f = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int c = 0; c < d; c++) f[i * d + c] = (float) (rng.nextGaussian() + labels[i]);
        }
        return new SourceFeatures(f, n, d, labels, 3, "tiny random source");
    }
}
