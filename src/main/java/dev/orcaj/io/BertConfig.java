package dev.orcaj.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.orcaj.io.HfConfig.Fields.integer;
import static dev.orcaj.io.HfConfig.Fields.number;
import static dev.orcaj.io.HfConfig.Fields.positive;
import static dev.orcaj.io.HfConfig.Fields.text;

/**
 * BERT-family body configuration (HF {@code BertConfig}; RoBERTa is the same architecture with model_type "roberta",
 * padding-aware position ids and pad_token_id 1). Required in config.json: model_type, vocab_size, hidden_size,
 * num_hidden_layers, num_attention_heads, intermediate_size, max_position_embeddings. Optional with HF's
 * BertConfig defaults: hidden_act "gelu", type_vocab_size 2, layer_norm_eps 1e-12, pad_token_id 0.
 * Only absolute position embeddings are supported.
 */
public record BertConfig(String modelType, int vocabSize, int hiddenSize, int numHiddenLayers, int numAttentionHeads,
                         int intermediateSize, String hiddenAct, int maxPositionEmbeddings, int typeVocabSize,
                         double layerNormEps, int padTokenId) implements HfConfig {

    public BertConfig {
        String src = "BertConfig";
        if (!modelType.equals("bert") && !modelType.equals("roberta")) throw new HfConfigException(src + ": model_type must be bert or roberta, got " + modelType);
        positive(vocabSize, "vocab_size", src);
        positive(hiddenSize, "hidden_size", src);
        positive(numHiddenLayers, "num_hidden_layers", src);
        positive(numAttentionHeads, "num_attention_heads", src);
        positive(intermediateSize, "intermediate_size", src);
        positive(maxPositionEmbeddings, "max_position_embeddings", src);
        positive(typeVocabSize, "type_vocab_size", src);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new HfConfigException(src + ": hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (!(layerNormEps > 0)) throw new HfConfigException(src + ": layer_norm_eps must be positive, got " + layerNormEps);
    }

    /** roberta-base (FacebookAI/roberta-base config.json). */
    public static BertConfig robertaBase() {
        return new BertConfig("roberta", 50265, 768, 12, 12, 3072, "gelu", 514, 1, 1e-5, 1);
    }

    /** sentence-transformers/all-MiniLM-L6-v2 (a BERT body; the model embedded in the jar as ONNX). */
    public static BertConfig allMiniLmL6V2() {
        return new BertConfig("bert", 30522, 384, 6, 12, 1536, "gelu", 512, 2, 1e-12, 0);
    }

    public int headDim() { return hiddenSize / numAttentionHeads; }

    private static final java.util.regex.Pattern LAYER = java.util.regex.Pattern.compile("(?:^|\\.)encoder\\.layer\\.(\\d{1,9})\\.");

    @Override
    public void requireLayersOf(java.util.Collection<String> tensorNames, String source) {
        var layers = HfConfig.layerIndices(tensorNames, LAYER);
        int found = layers.isEmpty() ? 0 : layers.lastKey() + 1;
        if (found != numHiddenLayers) {
            throw new HfConfigException(source + ": the config has num_hidden_layers " + numHiddenLayers + ", but the checkpoint holds "
                    + (found == 0 ? "no encoder.layer.N tensors" : found + " layers (encoder.layer.0 .. encoder.layer." + (found - 1) + ")"));
        }
    }

    static BertConfig fromJson(JsonNode root, String source) {
        String positionType = text(root, "position_embedding_type", source, "absolute");
        if (!positionType.equals("absolute")) {
            throw new HfConfigException(source + ": position_embedding_type '" + positionType + "' is not supported (only 'absolute')");
        }
        try {
            return new BertConfig(text(root, "model_type", source, null), integer(root, "vocab_size", source, null),
                    integer(root, "hidden_size", source, null), integer(root, "num_hidden_layers", source, null),
                    integer(root, "num_attention_heads", source, null), integer(root, "intermediate_size", source, null),
                    text(root, "hidden_act", source, "gelu"), integer(root, "max_position_embeddings", source, null),
                    integer(root, "type_vocab_size", source, 2), number(root, "layer_norm_eps", source, 1e-12),
                    integer(root, "pad_token_id", source, 0));
        } catch (HfConfigException e) {
            throw e.getMessage().startsWith(source) ? e : new HfConfigException(source + ": " + e.getMessage());
        }
    }

    @Override
    public String toJson() {
        ObjectNode n = Safetensors.JSON.createObjectNode();
        n.put("model_type", modelType);
        n.put("vocab_size", vocabSize);
        n.put("hidden_size", hiddenSize);
        n.put("num_hidden_layers", numHiddenLayers);
        n.put("num_attention_heads", numAttentionHeads);
        n.put("intermediate_size", intermediateSize);
        n.put("hidden_act", hiddenAct);
        n.put("max_position_embeddings", maxPositionEmbeddings);
        n.put("type_vocab_size", typeVocabSize);
        n.put("layer_norm_eps", layerNormEps);
        n.put("pad_token_id", padTokenId);
        return Fields.write(n);
    }

    /**
     * Names and shapes of the HF {@code BertModel}/{@code RobertaModel} state dict (no "bert."/"roberta." prefix,
     * no non-persistent buffers), Linear weights as [out, in].
     */
    public Map<String, long[]> stateDictShapes(boolean includePooler) {
        long h = hiddenSize, i = intermediateSize;
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("embeddings.word_embeddings.weight", new long[]{vocabSize, h});
        m.put("embeddings.position_embeddings.weight", new long[]{maxPositionEmbeddings, h});
        m.put("embeddings.token_type_embeddings.weight", new long[]{typeVocabSize, h});
        m.put("embeddings.LayerNorm.weight", new long[]{h});
        m.put("embeddings.LayerNorm.bias", new long[]{h});
        for (int l = 0; l < numHiddenLayers; l++) {
            String p = "encoder.layer." + l + ".";
            for (String proj : new String[]{"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                m.put(p + proj + ".weight", new long[]{h, h});
                m.put(p + proj + ".bias", new long[]{h});
            }
            m.put(p + "attention.output.LayerNorm.weight", new long[]{h});
            m.put(p + "attention.output.LayerNorm.bias", new long[]{h});
            m.put(p + "intermediate.dense.weight", new long[]{i, h});
            m.put(p + "intermediate.dense.bias", new long[]{i});
            m.put(p + "output.dense.weight", new long[]{h, i});
            m.put(p + "output.dense.bias", new long[]{h});
            m.put(p + "output.LayerNorm.weight", new long[]{h});
            m.put(p + "output.LayerNorm.bias", new long[]{h});
        }
        if (includePooler) {
            m.put("pooler.dense.weight", new long[]{h, h});
            m.put("pooler.dense.bias", new long[]{h});
        }
        return m;
    }
}
