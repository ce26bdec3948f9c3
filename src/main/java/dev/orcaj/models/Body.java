package dev.orcaj.models;

import dev.orcaj.io.HfConfig;
import dev.orcaj.nn.Init;
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

    /** The Hugging Face configuration the body was built from (what a saved model stores to rebuild it). */
    HfConfig config();

    /** What the body's pretrained embedding layer takes, and so which source proxy aligns to it (spec 3.1). */
    enum Modality { TEXT, IMAGE }

    Modality modality();

    // ---- patch geometry (spec 1.1, 1.2) ----

    /**
     * 0 for text bodies: the embedder chooses its kernel k. Image bodies: the pretrained patch size, and 2D inputs
     * are resized to {@link #imageSize()} first (1D inputs are laid out on a square token grid instead).
     */
    default int patchSize() { return 0; }

    /** The pretrained image size of an image body (inputs are resized to it); 0 for text bodies. */
    default int imageSize() { return 0; }

    /** Embedder-grid cells per axis one output token covers: Swin's patch merging halves the grid per later stage. */
    default int outputDownsample() { return 1; }

    /** The pretrained patch conv {weight [D, C0, p, p], bias [D]} that a warm embedder tiles, or null (text bodies). */
    default Parameter[] patchProjection() { return null; }

    // ---- the body's own embedding, for source-proxy features (spec 3.1) ----

    /** Token ids [b, s] (row-major) through the pretrained embedding layer (positions and LayerNorm included): [b, s, D]. */
    default Tensor embedTokens(int[] ids, int[] tokenTypes, int b, int s) {
        throw new UnsupportedOperationException("this body embeds images, not token ids");
    }

    /** Pixels [b, C, H, W] at {@link #imageSize()} through the pretrained patch embedding (conv + LayerNorm): [b, T, D]. */
    default Tensor embedPixels(Tensor pixels) {
        throw new UnsupportedOperationException("this body embeds token ids, not images");
    }

    // ---- the Hugging Face forward passes (orca features) ----

    /** HF forward from token ids [b, s] with an optional 0/1 attention mask and token types (text bodies). */
    default BodyOutput forwardTokenIds(int[] ids, int[] mask, int[] tokenTypes, int b, int s) {
        throw new UnsupportedOperationException("this body takes pixel values, not token ids");
    }

    /** HF forward from inputs_embeds [b, s, D] with an optional 0/1 mask [b, s] (text bodies). */
    default BodyOutput forwardInputsEmbeds(Tensor embeds, Tensor mask01) {
        throw new UnsupportedOperationException("this body takes pixel values, not inputs_embeds");
    }

    /** HF forward from pixel values [b, C, H, W] (image bodies). */
    default BodyOutput forwardPixels(Tensor pixels) {
        throw new UnsupportedOperationException("this body takes token ids, not pixel values");
    }

    // ---- baselines and regularisation ----

    /**
     * The train-from-scratch baseline: every parameter redrawn (LayerNorms to 1/0, biases 0, others N(0, 0.02) as in
     * BERT's and Swin's initialisers); buffers are kept.
     */
    default void reinitialize(long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed ^ 0x5eed);
        module().namedParameters().forEach((name, p) -> {
            if (p.isBuffer()) return;
            int[] shape = p.get().shape();
            boolean norm = name.contains("LayerNorm") || name.contains("layernorm") || name.contains("norm.");
            if (norm && name.endsWith("weight")) p.set(Tensor.ones(shape));
            else if (norm || name.endsWith("bias")) p.set(Tensor.zeros(shape));
            else p.set(Init.normal(rng, 0.02, shape));
        });
    }

    /** Overrides the dropout probabilities (ORCA's {@code drop_out}: hidden and attention); active only in training. */
    void setDropout(double hidden, double attention);

    /** Stochastic depth (HF {@code drop_path_rate}); bodies without it accept only 0. */
    default void setDropPathRate(double rate) {
        if (rate != 0) throw new IllegalArgumentException("--drop-path " + rate + ": this body has no stochastic depth (Swin bodies do)");
    }

    /** The drop-path rate the official code trains with: the pretrained config's (0.1 for swin-base), 0 for text bodies. */
    default double defaultDropPathRate() { return 0; }
}
