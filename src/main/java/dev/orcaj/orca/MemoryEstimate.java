package dev.orcaj.orca;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.HeapBudget;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.models.swin.SwinModel;

/**
 * What stage-3 training will hold in the heap: float32 parameters, their gradients, the optimizer state (AdamW/Adam:
 * two moments, SGD with momentum: one buffer) and the activations autograd keeps for one batch. Printed before
 * training, and training is refused with these numbers when they exceed the heap the JVM may grow to ({@code -Xmx}).
 *
 * <p>The activation term is a rough count (within about a factor of two): per transformer layer and sample,
 * ~14 token-width tensors (Q, K, V, attention output, residuals, LayerNorm inputs and statistics), 3 feed-forward-width
 * tensors (input, GELU, output) and 3 score-sized tensors (scores, softmax, its gradient) are kept for backward.
 */
public record MemoryEstimate(long parameters, long parameterBytes, long gradientBytes, long optimizerBytes, long activationBytes, int batch) {

    /** For {@code model} trained with {@code cfg} on {@code trainRows} rows (a batch never holds more than those). */
    public static MemoryEstimate of(OrcaModel model, TrainConfig cfg, int trainRows) {
        long p = model.parameterCount();
        int optimizerCopies = cfg.optimizer().equals("sgd") ? (cfg.momentum() > 0 ? 1 : 0) : 2;
        int tokens = model.embedder.plan.tokens();
        long perSample = switch (model.body) {
            case BertModel b -> bert(b.config, tokens);
            case SwinModel s -> swin(s.config);
            default -> 0;
        };
        int batch = Math.max(1, Math.min(cfg.batchSize(), trainRows));
        return new MemoryEstimate(p, 4 * p, 4 * p, 4L * optimizerCopies * p, 4 * perSample * batch, batch);
    }

    /** Floats kept per sample by a BERT encoder over {@code tokens} tokens. */
    static long bert(BertConfig c, long tokens) {
        long perLayer = tokens * (14L * c.hiddenSize() + 3L * c.intermediateSize()) + 3L * c.numAttentionHeads() * tokens * tokens;
        return perLayer * c.numHiddenLayers();
    }

    /** Floats kept per sample by a Swin encoder at its pretrained resolution (window attention: scores per window). */
    static long swin(SwinConfig c) {
        long side = c.imageSize() / c.patchSize(), total = 0;
        for (int s = 0; s < c.depths().length; s++, side = Math.max(1, side / 2)) {
            long tokens = side * side, width = (long) c.embedDim() << s, window = Math.min(c.windowSize(), side);
            long hidden = (long) (c.mlpRatio() * width);
            total += c.depths()[s] * (tokens * (14 * width + 3 * hidden) + 3L * c.numHeads()[s] * tokens * window * window);
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
        throw new HeapBudget.InsufficientHeapException("training will not fit: " + describe() + "; lower --batch-size, or "
                + HeapBudget.remedy(totalBytes() - HeapBudget.maxHeap()));
    }
}
