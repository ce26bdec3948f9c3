package dev.orcaj.models;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.models.swin.SwinModel;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout (ORCA's drop_out) acts only in training mode. With a vanishing probability nothing is dropped (each kept
 * value is scaled by 1/(1-p) = 1 + 1e-12), so the training path, where nn.Attention applies the attention-probability
 * dropout, must reproduce the eval output.
 */
class DropoutTest {
    final Tensor embeds = Tensor.randn(DType.F32, new SplittableRandom(1), 1, 2, 5, 16);
    final Tensor mask = Tensor.of(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5);

    static double maxDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }

    @Test
    void bertTrainingPathWithVanishingDropoutEqualsEval() {
        BertModel m = new BertModel(new BertConfig("bert", 20, 16, 2, 4, 32, "gelu", 8, 2, 1e-12, 0), true, 3);
        m.train(false);
        Tensor eval = m.forwardEmbeds(embeds, mask);
        m.train(true);
        m.setDropout(1e-12, 1e-12);
        assertTrue(maxDiff(eval, m.forwardEmbeds(embeds, mask)) < 1e-5);
        m.setDropout(0.5, 0.5);
        assertTrue(maxDiff(eval, m.forwardEmbeds(embeds, mask)) > 1e-2, "p = 0.5 changes the output in training mode");
        m.train(false);
        assertArrayEquals(eval.toFloatArray(), m.forwardEmbeds(embeds, mask).toFloatArray(), "eval mode ignores dropout");
    }

    @Test
    void swinTrainingPathWithVanishingDropoutEqualsEval() {
        SwinModel m = new SwinModel(new SwinConfig(16, 2, 3, 8, new int[] {2, 1}, new int[] {2, 2}, 4, 2.0, 1e-5, "gelu"), 4);
        Tensor pixels = Tensor.randn(DType.F32, new SplittableRandom(2), 1, 1, 3, 16, 16);
        m.train(false);
        Tensor eval = m.forward(pixels).lastHiddenState();
        m.train(true);
        m.setDropout(1e-12, 1e-12);
        assertTrue(maxDiff(eval, m.forward(pixels).lastHiddenState()) < 1e-5);
        m.setDropout(0.5, 0.5);
        assertTrue(maxDiff(eval, m.forward(pixels).lastHiddenState()) > 1e-2);
    }

    /**
     * Drop path with rate r: the last of two blocks gets r (linspace(0, r, 2)), the first 0. With r = 1 - 1e-9 every
     * sample loses block 1's attention branch, which is what zeroing that branch's output projection does in eval.
     */
    @Test
    void swinDropPathRemovesTheAttentionBranchOfLaterBlocks() {
        SwinConfig c = new SwinConfig(8, 2, 3, 8, new int[] {2}, new int[] {2}, 2, 2.0, 1e-5, "gelu");
        Tensor pixels = Tensor.randn(DType.F32, new SplittableRandom(5), 1, 2, 3, 8, 8);
        SwinModel m = new SwinModel(c, 6), zeroed = new SwinModel(c, 6);
        var dense = zeroed.stages.get(0).blocks.get(1).outputDense;
        dense.weight.set(Tensor.zeros(8, 8));
        dense.bias.set(Tensor.zeros(8));
        zeroed.train(false);
        m.train(true);
        m.setDropPathRate(1 - 1e-9);
        assertTrue(maxDiff(zeroed.forward(pixels).lastHiddenState(), m.forward(pixels).lastHiddenState()) < 1e-5);
        m.train(false);
        assertTrue(maxDiff(zeroed.forward(pixels).lastHiddenState(), m.forward(pixels).lastHiddenState()) > 1e-3, "eval keeps every branch");
    }
}
