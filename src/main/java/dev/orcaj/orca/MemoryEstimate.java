package dev.orcaj.orca;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.HeapBudget;
import dev.orcaj.io.SwinConfig;

/**
 * What stage-3 training will hold in the heap: float32 parameters, their gradients, the optimizer state (AdamW/Adam:
 * two moments, SGD with momentum: one buffer) and the activations autograd keeps for one batch. Printed before
 * training, and training is refused with these numbers when they exceed the heap the JVM may grow to ({@code -Xmx}).
 *
 * <p>The activation term is a rough count: per transformer layer and sample, 6 token-width tensors (Q, K, V, attention
 * context, LayerNorm inputs), 2 feed-forward-width tensors (the GELU input and output) and one attention-score tensor
 * (the softmax output) are kept for backward. Checked once against a measurement (MiniLM, pde:advection:256:60,
 * batch 16, 2 threads): largest heap after a GC 991 MiB, estimate 1139 MiB (792 MiB of it activations). An estimate, not a bound: an
 * OutOfMemoryError can still happen, and is then reported by the CLI's one handler.
 */
public record MemoryEstimate(long parameters, long parameterBytes, long gradientBytes, long optimizerBytes, long activationBytes, int batch) {

    /** For {@code model} trained with {@code cfg} on {@code trainRows} rows (a batch never holds more than those). */
    public static MemoryEstimate of(OrcaModel model, TrainConfig cfg, int trainRows) {
        long p = model.parameterCount();
        int optimizerCopies = cfg.optimizer() == OptimizerKind.SGD ? (cfg.momentum() > 0 ? 1 : 0) : 2;
        int tokens = model.embedder.plan.tokens();
        long perSample = switch (model.body.config()) {
            case BertConfig b -> bert(b, tokens);
            case SwinConfig s -> swin(s);
        };
        int batch = Math.max(1, Math.min(cfg.batchSize(), trainRows));
        return new MemoryEstimate(p, 4 * p, 4 * p, 4L * optimizerCopies * p, 4 * perSample * batch, batch);
    }

    /** Floats kept per sample by a BERT encoder over {@code tokens} tokens. */
    static long bert(BertConfig c, long tokens) {
        long perLayer = tokens * (6L * c.hiddenSize() + 2L * c.intermediateSize()) + (long) c.numAttentionHeads() * tokens * tokens;
        return perLayer * c.numHiddenLayers();
    }

    /** Floats kept per sample by a Swin encoder at its pretrained resolution (window attention: scores per window). */
    static long swin(SwinConfig c) {
        long side = c.imageSize() / c.patchSize(), total = 0;
        for (int s = 0; s < c.depths().length; s++, side = Math.max(1, side / 2)) {
            long tokens = side * side, width = (long) c.embedDim() << s, window = Math.min(c.windowSize(), side);
            long hidden = (long) (c.mlpRatio() * width);
            total += c.depths()[s] * (tokens * (6 * width + 2 * hidden) + (long) c.numHeads()[s] * tokens * window * window);
        }
        return total;
    }

    public long totalBytes() { return parameterBytes + gradientBytes + optimizerBytes + activationBytes; }

    public String describe() {
        return "memory estimate: " + HeapBudget.mib(totalBytes()) + " (" + parameters + " parameters " + HeapBudget.mib(parameterBytes) + ", gradients "
                + HeapBudget.mib(gradientBytes) + ", optimizer state " + HeapBudget.mib(optimizerBytes) + ", activations for a batch of " + batch + " "
                + HeapBudget.mib(activationBytes) + "); JVM heap at most " + HeapBudget.mib(HeapBudget.maxHeap());
    }

    /** Refuses training that cannot fit the maximum heap, naming every term and the remedy. */
    public void requireFits() {
        if (totalBytes() <= HeapBudget.maxHeap()) return;
        throw new HeapBudget.InsufficientHeapException("training will not fit: " + describe() + "; lower --batch-size or "
                + HeapBudget.moreHeap(totalBytes() - HeapBudget.maxHeap()));
    }
}
