package dev.orcaj.models.bert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.models.Group;
import dev.orcaj.nn.Attention;
import dev.orcaj.nn.Dropout;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * One post-LN BERT encoder layer with HF's module tree: {@code attention.self.{query,key,value}},
 * {@code attention.output.{dense,LayerNorm}}, {@code intermediate.dense}, {@code output.{dense,LayerNorm}}.
 */
public final class BertLayer extends Module {
    public final SelfAttention selfAttention;
    public final DenseNorm attentionOutput, output;
    public final Linear intermediate;
    private final String activation;

    BertLayer(BertConfig c, SplittableRandom rng) {
        activation = c.hiddenAct();
        Group attention = child("attention", new Group());
        selfAttention = attention.add("self", new SelfAttention(c, rng));
        attentionOutput = attention.add("output", new DenseNorm(c.hiddenSize(), c.hiddenSize(), c.layerNormEps(), rng));
        intermediate = child("intermediate", new Group()).add("dense", new Linear(c.hiddenSize(), c.intermediateSize(), true, rng));
        output = child("output", new DenseNorm(c.intermediateSize(), c.hiddenSize(), c.layerNormEps(), rng));
    }

    /** x [B, S, D]; additiveMask [B, 1, 1, S] or null. */
    Tensor forward(Tensor x, Tensor additiveMask) {
        Tensor h = attentionOutput.forward(selfAttention.forward(x, additiveMask), x);
        return output.forward(activate(intermediate.forward(h)), h);
    }

    private Tensor activate(Tensor x) {
        return switch (activation) {
            case "gelu" -> x.gelu();
            case "relu" -> x.relu();
            default -> throw new IllegalStateException("unsupported hidden_act " + activation); // rejected by BertModel
        };
    }

    void setDropout(double hidden, double attention) {
        selfAttention.setProbsDropout(attention);
        attentionOutput.dropout.setP(hidden);
        output.dropout.setP(hidden);
    }


    /** HF {@code BertSelfAttention}: projections and scaled dot-product attention over heads. */
    public static final class SelfAttention extends Module {
        public final Linear query, key, value;
        final Dropout probsDropout;
        private final int heads;

        SelfAttention(BertConfig c, SplittableRandom rng) {
            int d = c.hiddenSize();
            heads = c.numAttentionHeads();
            query = child("query", new Linear(d, d, true, rng));
            key = child("key", new Linear(d, d, true, rng));
            value = child("value", new Linear(d, d, true, rng));
            probsDropout = child("dropout", new Dropout(0, rng.nextLong()));
        }

        Tensor forward(Tensor x, Tensor additiveMask) {
            return Attention.attend(query.forward(x), key.forward(x), value.forward(x), heads, additiveMask, probsDropout);
        }

        void setProbsDropout(double p) { probsDropout.setP(p); }
    }

    /** HF {@code BertSelfOutput}/{@code BertOutput}: LayerNorm(dropout(dense(x)) + residual). */
    public static final class DenseNorm extends Module {
        public final Linear dense;
        public final LayerNorm layerNorm;
        final Dropout dropout;

        DenseNorm(int in, int out, double eps, SplittableRandom rng) {
            dense = child("dense", new Linear(in, out, true, rng));
            layerNorm = child("LayerNorm", new LayerNorm(out, eps));
            dropout = child("dropout", new Dropout(0, rng.nextLong()));
        }

        Tensor forward(Tensor x, Tensor residual) {
            return layerNorm.forward(dropout.forward(dense.forward(x)).add(residual));
        }
    }
}
