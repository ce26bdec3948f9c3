package dev.orcaj.models.swin;

import dev.orcaj.io.NdArray;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.Body;
import dev.orcaj.models.BodyOutput;
import dev.orcaj.models.Group;
import dev.orcaj.models.ModuleList;
import dev.orcaj.models.StateDicts;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Swin Transformer body (HF {@code SwinModel}, Liu et al. 2021): patch embeddings, stages of shifted-window blocks
 * with patch merging, final {@code layernorm}; pooler_output = mean over tokens. HF state-dict names:
 * {@code embeddings.*}, {@code encoder.layers.S.blocks.N.*}, {@code encoder.layers.S.downsample.*}, {@code layernorm.*}.
 */
public final class SwinModel extends Module implements Body {
    private static final String INDEX_SUFFIX = "relative_position_index";

    public final SwinConfig config;
    public final SwinEmbeddings embeddings;
    public final ModuleList<SwinStage> stages;
    public final LayerNorm layernorm;

    public SwinModel(SwinConfig config, long seed) {
        if (!config.hiddenAct().equals("gelu")) throw new IllegalArgumentException("SwinModel: hidden_act '" + config.hiddenAct() + "' is not supported (only gelu)");
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        embeddings = child("embeddings", new SwinEmbeddings(config, rng));
        stages = child("encoder", new Group()).add("layers", new ModuleList<>());
        int[] depths = config.depths(), heads = config.numHeads();
        for (int s = 0; s < depths.length; s++) {
            stages.add(new SwinStage(config.embedDim() << s, depths[s], heads[s], config.windowSize(), config.mlpRatio(),
                    config.layerNormEps(), s < depths.length - 1, rng));
        }
        layernorm = child("layernorm", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    /**
     * A model holding the tensors of a HF Swin state dict (with or without {@code swin.} prefix; a task head next to a
     * prefixed body is ignored). Stored {@code relative_position_index} buffers are checked against the computed index;
     * {@code embeddings.mask_token} (masked-image-modeling only) is ignored. Everything is checked before loading.
     */
    public static SwinModel fromStateDict(SwinConfig config, Map<String, NdArray> state, String source) {
        Map<String, NdArray> body = new LinkedHashMap<>(StateDicts.bodyTensors(state, "swin."));
        body.remove("embeddings.mask_token");
        int w = config.windowSize();
        int[] expected = Windows.relativePositionIndex(w, w);
        body.entrySet().removeIf(e -> {
            if (!e.getKey().endsWith(INDEX_SUFFIX)) return false;
            NdArray a = e.getValue();
            if (!Arrays.equals(a.intShape(), new int[] {w * w, w * w}) || !Arrays.equals(a.toInts(), expected)) {
                throw new IllegalArgumentException(source + ": tensor '" + e.getKey() + "' " + Arrays.toString(a.shape())
                        + " is not the relative position index of window " + w + " (does window_size in the config match the weights?)");
            }
            return true;
        });
        SwinModel m = new SwinModel(config, 0);
        StateDicts.load(m, body, source);
        return m;
    }

    /** pixel_values [B, C, H, W] -> last_hidden_state [B, N, hidden] and pooler_output [B, hidden]. */
    public BodyOutput forward(Tensor pixels) {
        int[] grid = embeddings.grid(pixels.shape(2), pixels.shape(3));
        Tensor last = forwardTokens(embeddings.forward(pixels), grid[0], grid[1]);
        return new BodyOutput(last, pool(last));
    }

    /** The encoder and final LayerNorm over embedded patch tokens [B, gh*gw, embed_dim] (ORCA replaces the embeddings). */
    public Tensor forwardTokens(Tensor tokens, int gh, int gw) {
        if (tokens.rank() != 3 || tokens.shape(1) != gh * gw || tokens.shape(2) != config.embedDim()) {
            throw new IllegalArgumentException("SwinModel: tokens must be [B, " + gh + "*" + gw + ", " + config.embedDim() + "], got " + Arrays.toString(tokens.shape()));
        }
        if (tokens.dtype() != dtype()) throw new IllegalArgumentException("SwinModel: tokens are " + tokens.dtype() + " but the model is " + dtype());
        SwinStage.Result r = new SwinStage.Result(tokens, gh, gw);
        for (SwinStage stage : stages.items()) r = stage.forward(r.tokens(), r.h(), r.w());
        return layernorm.forward(r.tokens());
    }

    /** HF pooler: AdaptiveAvgPool1d(1) over tokens = mean over axis 1. */
    public Tensor pool(Tensor lastHiddenState) { return lastHiddenState.mean(1); }

    /** Hidden dropout (embeddings, MLP output) and attention dropout (probabilities, attention output), as HF assigns them. */
    @Override
    public void setDropout(double hidden, double attention) {
        embeddings.dropout.setP(hidden);
        for (SwinStage s : stages.items()) for (SwinBlock b : s.blocks.items()) b.setDropout(hidden, attention);
    }

    /**
     * HF's {@code drop_path_rate}: block k of all n blocks (counted across stages) drops its attention branch with
     * probability rate * k / (n - 1) while training (torch.linspace(0, rate, n)); 0.1 in the swin-base configs.
     */
    @Override
    public void setDropPathRate(double rate) {
        int n = Arrays.stream(config.depths()).sum(), k = 0;
        for (SwinStage s : stages.items()) for (SwinBlock b : s.blocks.items()) b.setDropPath(n == 1 ? 0 : rate * k++ / (n - 1));
    }

    public DType dtype() { return layernorm.weight.get().dtype(); }

    // ------------------------------------------------------------------ Body

    /** The drop-path rate of every block, in order. */
    public double[] dropPathRates() {
        return stages.items().stream().flatMap(s -> s.blocks.items().stream()).mapToDouble(SwinBlock::dropPath).toArray();
    }

    /** HF's swin-base configs (and the official code, which loads them unchanged) train with drop_path_rate 0.1. */
    @Override public double defaultDropPathRate() { return 0.1; }

    @Override public int inputDim() { return config.embedDim(); }

    @Override public int hiddenSize() { return config.hiddenSize(); }

    @Override public int sequenceLimit() {
        int g = config.imageSize() / config.patchSize();
        return g * g;
    }

    /** Tokens [B, N, embed_dim] on a square grid (N a perfect square; otherwise call {@link #forwardTokens}); no mask. */
    @Override
    public Tensor forwardEmbeds(Tensor embeds, Tensor attentionMask01) {
        if (attentionMask01 != null) throw new IllegalArgumentException("SwinModel: an attention mask is not supported (Swin attends within windows)");
        int n = embeds.shape(1), g = (int) Math.round(Math.sqrt(n));
        if (g * g != n) throw new IllegalArgumentException("SwinModel: " + n + " tokens are not a square grid; use forwardTokens(tokens, rows, cols)");
        return forwardTokens(embeds, g, g);
    }

    @Override public LayerNorm embeddingLayerNorm() { return embeddings.norm; }

    @Override public Parameter positionEmbeddings() { return null; }

    @Override public int firstPositionId() { return 0; }

    @Override public Module module() { return this; }

    @Override public SwinConfig config() { return config; }

    @Override public Modality modality() { return Modality.IMAGE; }

    @Override public int patchSize() { return config.patchSize(); }

    @Override public int imageSize() { return config.imageSize(); }

    @Override public int outputDownsample() { return 1 << (config.depths().length - 1); }

    @Override public Parameter[] patchProjection() { return new Parameter[] {embeddings.projection.weight, embeddings.projection.bias}; }

    @Override public Tensor embedPixels(Tensor pixels) { return embed(pixels); }

    @Override public BodyOutput forwardPixels(Tensor pixels) { return forward(pixels); }

    /** The embedding module's output (patch conv + LayerNorm) for pixels [B, C, H, W]: ORCA's vision source proxy (spec 3.1). */
    public Tensor embed(Tensor pixels) { return embeddings.forward(pixels); }
}
