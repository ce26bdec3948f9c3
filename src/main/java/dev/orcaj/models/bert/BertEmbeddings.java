package dev.orcaj.models.bert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.nn.Dropout;
import dev.orcaj.nn.Embedding;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Module;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** HF {@code BertEmbeddings}/{@code RobertaEmbeddings}: word + token_type + absolute position, then LayerNorm and dropout. */
public final class BertEmbeddings extends Module {
    public final Embedding wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings;
    public final LayerNorm layerNorm;
    final Dropout dropout;
    private final BertConfig config;

    BertEmbeddings(BertConfig config, SplittableRandom rng) {
        this.config = config;
        int d = config.hiddenSize();
        wordEmbeddings = child("word_embeddings", new Embedding(config.vocabSize(), d, rng));
        positionEmbeddings = child("position_embeddings", new Embedding(config.maxPositionEmbeddings(), d, rng));
        tokenTypeEmbeddings = child("token_type_embeddings", new Embedding(config.typeVocabSize(), d, rng));
        layerNorm = child("LayerNorm", new LayerNorm(d, config.layerNormEps()));
        dropout = child("dropout", new Dropout(0, rng.nextLong()));
    }

    boolean isRoberta() { return config.modelType().equals("roberta"); }

    /** From token ids [b, s]; tokenTypes null means all 0. */
    Tensor forward(int[] ids, int[] tokenTypes, int b, int s) {
        check("input_ids", ids, b * s, config.vocabSize(), "vocab_size");
        return finish(wordEmbeddings.forward(ids, b, s), tokenTypes, positionIdsFromTokens(ids, b, s), b, s);
    }

    /**
     * HF {@code inputs_embeds} semantics: the given vectors replace the word lookup; positions are
     * arange(pad+1, S+pad+1) for RoBERTa and arange(S) for BERT, the same for every row (the mask is not consulted).
     */
    Tensor forwardInputsEmbeds(Tensor embeds, int[] tokenTypes) {
        int b = embeds.shape(0), s = embeds.shape(1);
        int first = firstPositionId();
        int[] pos = new int[b * s];
        for (int i = 0; i < pos.length; i++) pos[i] = first + i % s;
        return finish(embeds, tokenTypes, pos, b, s);
    }

    int firstPositionId() { return isRoberta() ? config.padTokenId() + 1 : 0; }

    private Tensor finish(Tensor words, int[] tokenTypes, int[] positions, int b, int s) {
        int[] types = tokenTypes != null ? tokenTypes : new int[b * s];
        check("token_type_ids", types, b * s, config.typeVocabSize(), "type_vocab_size");
        for (int p : positions) {
            if (p >= config.maxPositionEmbeddings()) {
                throw new IllegalArgumentException("position id " + p + " for a sequence of length " + s + " exceeds max_position_embeddings "
                        + config.maxPositionEmbeddings() + " (longest usable sequence: " + (config.maxPositionEmbeddings() - firstPositionId()) + ")");
            }
        }
        Tensor e = words.add(tokenTypeEmbeddings.forward(types, b, s)).add(positionEmbeddings.forward(positions, b, s));
        return dropout.forward(layerNorm.forward(e));
    }

    /** RoBERTa: cumsum(ids != pad) * (ids != pad) + pad per row (padding tokens sit at pad); BERT: 0..s-1. */
    private int[] positionIdsFromTokens(int[] ids, int b, int s) {
        int[] pos = new int[b * s];
        int pad = config.padTokenId();
        for (int r = 0; r < b; r++) {
            int count = 0;
            for (int t = 0; t < s; t++) {
                int i = r * s + t;
                if (!isRoberta()) pos[i] = t;
                else if (ids[i] != pad) pos[i] = ++count + pad;
                else pos[i] = pad;
            }
        }
        return pos;
    }

    private static void check(String what, int[] v, int n, int limit, String field) {
        if (v.length != n) throw new IllegalArgumentException(what + ": " + v.length + " values for " + n + " tokens");
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] >= limit) throw new IllegalArgumentException(what + "[" + i + "] = " + v[i] + " outside [0, " + limit + ") (" + field + ")");
        }
    }
}
