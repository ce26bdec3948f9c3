package dev.orcaj.nn;

import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** Inverted dropout, active only in training mode; the generator is seeded so runs are reproducible. */
public final class Dropout extends Module {
    private double p;
    private SplittableRandom rng;

    public Dropout(double p, long seed) {
        this.p = p;
        this.rng = new SplittableRandom(seed);
    }

    public void setP(double p) { this.p = p; }

    /** Restarts the generator (training loops reseed per batch so a resumed run draws the same masks). */
    public void reseed(long seed) { this.rng = new SplittableRandom(seed); }

    /** Whether {@link #forward} changes anything (training mode and p > 0). */
    public boolean isActive() { return p > 0 && isTraining(); }

    public Tensor forward(Tensor x) { return Functional.dropout(x, p, isTraining(), rng); }
}
