package dev.orcaj.nn;

import dev.orcaj.autograd.GradCheck;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** Composite gradient check through a post-LN transformer block: masked multi-head attention, GELU MLP, residuals. */
class TransformerBlockGradCheckTest {

    static final class Block extends Module {
        final MultiHeadAttention attn;
        final LayerNorm ln1, ln2;
        final Linear up, down;

        Block(int d, int heads, int ffn, SplittableRandom rng) {
            attn = child("attention", new MultiHeadAttention(d, heads, rng));
            ln1 = child("ln1", new LayerNorm(d, 1e-5));
            up = child("up", new Linear(d, ffn, true, rng));
            down = child("down", new Linear(ffn, d, true, rng));
            ln2 = child("ln2", new LayerNorm(d, 1e-5));
        }

        Tensor forward(Tensor x, Tensor mask) {
            Tensor h = ln1.forward(x.add(attn.forward(x, mask)));
            return ln2.forward(h.add(down.forward(up.forward(h).gelu())));
        }
    }

    @Test
    void gradientsThroughBlockMatchFiniteDifferences() {
        Block block = new Block(8, 2, 12, new SplittableRandom(3));
        block.to(DType.F64);
        Tensor mask = MultiHeadAttention.keyMask(new float[] {1, 1, 1, 1, 1, 1, 0, 0}, 2, 4, DType.F64);
        Tensor x = GradCheck.rand(5, 2, 4, 8);
        Tensor wq = block.attn.query.weight.get(), bv = block.attn.value.bias.get();
        Tensor wUp = block.up.weight.get(), g1 = block.ln1.weight.get(), bDown = block.down.bias.get();
        GradCheck.check("transformer-block", t -> block.forward(t[0], mask), x, wq, bv, wUp, g1, bDown);
    }
}
