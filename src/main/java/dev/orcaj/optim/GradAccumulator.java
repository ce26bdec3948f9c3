package dev.orcaj.optim;

import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

import java.util.List;

/**
 * Gradient accumulation over micro-batches: call {@link #microBatchDone()} after each micro-batch's
 * {@code backward()} (gradients add up in the parameters), and when it returns true call {@link #finish} and
 * then clip/step/zero-grad. At the end of an epoch, if {@link #pending()} > 0, call {@link #finish} and step to
 * flush the partial group.
 *
 * <p>Choice: with {@link Reduction#MEAN} the summed gradients are divided by the number of micro-batches actually
 * accumulated, once, at {@link #finish} — rather than scaling every loss by 1/k — so the reported losses stay
 * unscaled and a partial last group is averaged over its true size. For equal-size micro-batches of a mean
 * loss this gives the full-batch gradient. {@link Reduction#SUM} leaves the sum, which is what ORCA's reference
 * training loop does ({@code loss.backward()} per batch, {@code optimizer.step()} every {@code accum} batches,
 * no loss scaling).
 */
public final class GradAccumulator {
    public enum Reduction { MEAN, SUM }

    private final int microBatches;
    private final Reduction reduction;
    private int pending;

    public GradAccumulator(int microBatches, Reduction reduction) {
        if (microBatches < 1) throw new IllegalArgumentException("gradient accumulation: microBatches must be >= 1, got " + microBatches);
        this.microBatches = microBatches;
        this.reduction = reduction;
    }

    /** Records one accumulated micro-batch; true when {@code microBatches} have been accumulated (time to step). */
    public boolean microBatchDone() {
        if (pending == microBatches) throw new IllegalStateException("gradient accumulation: " + pending + " micro-batches pending; call finish() before accumulating more");
        return ++pending == microBatches;
    }

    /** Micro-batches accumulated since the last {@link #finish}. */
    public int pending() { return pending; }

    public int microBatches() { return microBatches; }

    /**
     * Applies the reduction to the accumulated gradients of {@code params} and resets the count; returns the
     * number of micro-batches that were accumulated.
     */
    public int finish(List<Parameter> params) {
        if (pending == 0) throw new IllegalStateException("gradient accumulation: finish() without any accumulated micro-batch");
        int count = pending;
        pending = 0;
        if (reduction == Reduction.MEAN && count > 1) {
            for (int k = 0; k < params.size(); k++) {
                Tensor g = Grads.contiguousGrad("param" + k, params.get(k).get());
                if (g == null) continue;
                Storage s = g.storage();
                for (int i = g.offset(), end = i + g.numel(); i < end; i++) s.set(i, s.get(i) / count);
            }
        }
        return count;
    }
}
