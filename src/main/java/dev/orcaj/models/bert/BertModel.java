package dev.orcaj.models.bert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.models.Body;
import dev.orcaj.models.BodyOutput;
import dev.orcaj.models.Group;
import dev.orcaj.models.ModuleList;
import dev.orcaj.models.StateDicts;
import dev.orcaj.nn.LayerNorm;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.MultiHeadAttention;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * BERT / RoBERTa body (HF {@code BertModel} / {@code RobertaModel}, absolute positions, post-LN encoder, exact GELU),
 * with HF state-dict names: {@code embeddings.*}, {@code encoder.layer.N.*}, {@code pooler.dense.*}. RoBERTa differs
 * only in its position ids (see {@link BertEmbeddings}). Random parameters use the nn defaults; load real ones with
 * {@link #fromStateDict}.
 */
public final class BertModel extends Module implements Body {
    private static final Set<String> ACTIVATIONS = Set.of("gelu", "relu");

    public final BertConfig config;
    public final BertEmbeddings embeddings;
    public final ModuleList<BertLayer> layers;
    /** {@code pooler.dense}, or null for a checkpoint without pooler (e.g. the MiniLM ONNX export). */
    public final Linear pooler;

    public BertModel(BertConfig config, boolean withPooler, long seed) {
        if (!ACTIVATIONS.contains(config.hiddenAct())) {
            throw new IllegalArgumentException("BertModel: hidden_act '" + config.hiddenAct() + "' is not supported (supported: " + ACTIVATIONS + ")");
        }
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        embeddings = child("embeddings", new BertEmbeddings(config, rng));
        layers = new ModuleList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) layers.add(new BertLayer(config, rng));
        child("encoder", new Group()).add("layer", layers);
        pooler = withPooler ? child("pooler", new Group()).add("dense", new Linear(config.hiddenSize(), config.hiddenSize(), true, rng)) : null;
    }

    /**
     * A model holding the tensors of a HF state dict (names with or without a {@code bert.}/{@code roberta.} prefix;
     * a task head's tensors next to a prefixed body are ignored). The pooler is built when {@code pooler.dense.*} is
     * present. Every name and shape is checked before anything is loaded; {@code source} names the checkpoint in errors.
     */
    public static BertModel fromStateDict(BertConfig config, Map<String, NdArray> state, String source) {
        Map<String, NdArray> body = StateDicts.bodyTensors(state, "roberta.", "bert.");
        BertModel m = unloaded(config, body.containsKey("pooler.dense.weight"));
        StateDicts.load(m, body, source);
        return m;
    }

    /**
     * The model {@link #fromStateDict} loads the tensors into, before loading: every parameter zero (its random values
     * are not computed, see {@link dev.orcaj.nn.Init#valuesReplaced}), the dropout generators as in any build with seed 0.
     * What {@link Body#reinitialize} turns into the scratch baseline's body without the pretrained weights being read.
     */
    public static BertModel unloaded(BertConfig config, boolean withPooler) {
        return dev.orcaj.nn.Init.valuesReplaced(() -> new BertModel(config, withPooler, 0));
    }

    // ------------------------------------------------------------------ forward entries

    /** From token ids [b, s]; {@code mask} (1 = token, 0 = padding) and {@code tokenTypes} may be null (all 1 / all 0). */
    public BodyOutput forward(int[] ids, int[] mask, int[] tokenTypes, int b, int s) {
        Tensor h = embeddings.forward(ids, tokenTypes, b, s);
        Tensor last = encode(h, mask == null ? null : additiveMask(toFloats(mask, b * s), b, s));
        return new BodyOutput(last, pooler == null ? null : pool(last));
    }

    /**
     * HF {@code model(inputs_embeds=..., attention_mask=...)}: embeds [B, S, D] go through the embeddings module
     * (token type 0, positions from pad+1 for RoBERTa, LayerNorm). {@code mask01} [B, S] or null.
     */
    @Override
    public BodyOutput forwardInputsEmbeds(Tensor embeds, Tensor mask01) {
        checkEmbeds(embeds, mask01);
        Tensor h = embeddings.forwardInputsEmbeds(embeds, null);
        Tensor last = encode(h, maskOf(mask01, embeds));
        return new BodyOutput(last, pooler == null ? null : pool(last));
    }

    /** ORCA's entry (orca-spec 1.1): the embeddings module is bypassed, {@code embeds} go straight into the encoder. */
    @Override
    public Tensor forwardEmbeds(Tensor embeds, Tensor attentionMask01) {
        checkEmbeds(embeds, attentionMask01);
        return encode(embeds, maskOf(attentionMask01, embeds));
    }

    /** HF pooler: tanh(dense(h[:, 0])). */
    public Tensor pool(Tensor lastHiddenState) {
        if (pooler == null) throw new IllegalStateException("BertModel: this checkpoint has no pooler (pooler.dense.* absent)");
        int b = lastHiddenState.shape(0), d = lastHiddenState.shape(2);
        return pooler.forward(lastHiddenState.slice(1, 0, 1).reshape(b, d)).tanh();
    }

    private Tensor encode(Tensor h, Tensor additiveMask) {
        for (BertLayer layer : layers.items()) h = layer.forward(h, additiveMask);
        return h;
    }

    /** Dropout as ORCA's {@code drop_out} overrides it (hidden and attention probabilities); active only in training mode. */
    @Override
    public void setDropout(double hidden, double attention) {
        embeddings.dropout.setP(hidden);
        for (BertLayer layer : layers.items()) layer.setDropout(hidden, attention);
    }

    public DType dtype() { return embeddings.wordEmbeddings.weight.get().dtype(); }

    private void checkEmbeds(Tensor embeds, Tensor mask01) {
        if (embeds.rank() != 3 || embeds.shape(2) != config.hiddenSize()) {
            throw new IllegalArgumentException("BertModel: embeds must be [B, S, " + config.hiddenSize() + "], got " + java.util.Arrays.toString(embeds.shape()));
        }
        if (embeds.dtype() != dtype()) throw new IllegalArgumentException("BertModel: embeds are " + embeds.dtype() + " but the model is " + dtype());
        if (mask01 != null && (mask01.rank() != 2 || mask01.shape(0) != embeds.shape(0) || mask01.shape(1) != embeds.shape(1))) {
            throw new IllegalArgumentException("BertModel: attention mask must be [" + embeds.shape(0) + ", " + embeds.shape(1) + "], got " + java.util.Arrays.toString(mask01.shape()));
        }
    }

    private Tensor maskOf(Tensor mask01, Tensor embeds) {
        return mask01 == null ? null : additiveMask(mask01.toFloatArray(), embeds.shape(0), embeds.shape(1));
    }

    private Tensor additiveMask(float[] mask01, int b, int s) { return MultiHeadAttention.keyMask(mask01, b, s, dtype()); }

    private static float[] toFloats(int[] v, int n) {
        if (v.length != n) throw new IllegalArgumentException("attention_mask: " + v.length + " values for " + n + " tokens");
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = v[i];
        return f;
    }

    // ------------------------------------------------------------------ Body

    @Override public int inputDim() { return config.hiddenSize(); }

    @Override public int hiddenSize() { return config.hiddenSize(); }

    @Override public int sequenceLimit() { return config.maxPositionEmbeddings() - embeddings.firstPositionId(); }

    @Override public LayerNorm embeddingLayerNorm() { return embeddings.layerNorm; }

    @Override public Parameter positionEmbeddings() { return embeddings.positionEmbeddings.weight; }

    @Override public int firstPositionId() { return embeddings.firstPositionId(); }

    @Override public Module module() { return this; }

    @Override public BertConfig config() { return config; }

    @Override public Modality modality() { return Modality.TEXT; }

    @Override public BodyOutput forwardTokenIds(int[] ids, int[] mask, int[] tokenTypes, int b, int s) { return forward(ids, mask, tokenTypes, b, s); }

    @Override public Tensor embedTokens(int[] ids, int[] tokenTypes, int b, int s) { return embed(ids, tokenTypes, b, s); }

    /**
     * The embedding layer's output (word + position + token type, LayerNorm) for token ids [b, s]: what ORCA's text
     * source proxy is made of (spec 3.1).
     */
    public Tensor embed(int[] ids, int[] tokenTypes, int b, int s) { return embeddings.forward(ids, tokenTypes, b, s); }
}
