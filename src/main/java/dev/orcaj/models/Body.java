package dev.orcaj.models;

import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.Tensor;

/**
 * What ORCA needs from a pretrained body (orca-spec section 1): the body's pretrained embedding module is bypassed and
 * the ORCA embedder's tokens go straight into the encoder. RoBERTa: {@code encoder(inputs_embeds)} where the embedder
 * already added the copied position table (spec 1.1); Swin: {@code encoder(tokens)} then the final LayerNorm, the
 * embedder having replaced {@code swin.embeddings} (spec 1.2).
 */
public interface Body {

    /** Width D of the tokens {@link #forwardEmbeds} takes (BERT: hidden_size; Swin: embed_dim). */
    int inputDim();

    /** Width of {@code last_hidden_state} (BERT: hidden_size; Swin: embed_dim * 2^(stages-1)). */
    int hiddenSize();

    /**
     * The longest token sequence the pretrained weights support: BERT max_position_embeddings; RoBERTa
     * max_position_embeddings - pad - 1 (positions start at pad + 1); Swin the token count at the pretrained image
     * size, (image_size / patch_size)^2.
     */
    int sequenceLimit();

    /**
     * Encoder over already-embedded tokens [B, S, inputDim]; {@code attentionMask01} [B, S] (1 = attend, 0 = padding)
     * or null for all tokens. Returns last_hidden_state [B, S', hiddenSize].
     */
    Tensor forwardEmbeds(Tensor embeds, Tensor attentionMask01);

    /** The pretrained embedding LayerNorm (RoBERTa {@code embeddings.LayerNorm}, Swin {@code embeddings.norm}) for warm starts. */
    LayerNorm embeddingLayerNorm();

    /** The pretrained absolute position table [positions, D], or null when the body has none (Swin). */
    Parameter positionEmbeddings();

    /** Row of {@link #positionEmbeddings()} used for the first token: RoBERTa pad + 1, BERT 0. */
    int firstPositionId();

    /** The module holding every parameter, with Hugging Face state-dict names. */
    Module module();

    /** Overrides the dropout probabilities (ORCA's {@code drop_out}: hidden and attention); active only in training. */
    void setDropout(double hidden, double attention);

    /** Stochastic depth (HF {@code drop_path_rate}); bodies without it accept only 0. */
    default void setDropPathRate(double rate) {
        if (rate != 0) throw new IllegalArgumentException("--drop-path " + rate + ": this body has no stochastic depth (Swin bodies do)");
    }

    /** The drop-path rate the official code trains with: the pretrained config's (0.1 for swin-base), 0 for text bodies. */
    default double defaultDropPathRate() { return 0; }
}
