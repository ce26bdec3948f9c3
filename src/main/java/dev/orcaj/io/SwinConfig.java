package dev.orcaj.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.orcaj.io.HfConfig.Fields.intArray;
import static dev.orcaj.io.HfConfig.Fields.integer;
import static dev.orcaj.io.HfConfig.Fields.number;
import static dev.orcaj.io.HfConfig.Fields.positive;
import static dev.orcaj.io.HfConfig.Fields.text;

/**
 * Swin Transformer body configuration (HF {@code SwinConfig}). Required in config.json: model_type "swin",
 * image_size, patch_size, embed_dim, depths, num_heads, window_size. Optional with HF's defaults: num_channels 3,
 * mlp_ratio 4.0, layer_norm_eps 1e-5, hidden_act "gelu". Stage i has width embed_dim * 2^i.
 */
public record SwinConfig(int imageSize, int patchSize, int numChannels, int embedDim, int[] depths, int[] numHeads,
                         int windowSize, double mlpRatio, double layerNormEps, String hiddenAct) implements HfConfig {

    public SwinConfig {
        String src = "SwinConfig";
        positive(imageSize, "image_size", src);
        positive(patchSize, "patch_size", src);
        positive(numChannels, "num_channels", src);
        positive(embedDim, "embed_dim", src);
        positive(windowSize, "window_size", src);
        depths = depths.clone();
        numHeads = numHeads.clone();
        if (depths.length != numHeads.length) {
            throw new HfConfigException(src + ": depths " + Arrays.toString(depths) + " and num_heads " + Arrays.toString(numHeads) + " differ in length");
        }
        for (int s = 0; s < depths.length; s++) {
            positive(depths[s], "depths[" + s + "]", src);
            positive(numHeads[s], "num_heads[" + s + "]", src);
            long width = (long) embedDim << s;
            if (width % numHeads[s] != 0) throw new HfConfigException(src + ": stage " + s + " width " + width + " is not a multiple of num_heads " + numHeads[s]);
        }
        if (imageSize % patchSize != 0) throw new HfConfigException(src + ": image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        if (!(mlpRatio > 0) || !(layerNormEps > 0)) throw new HfConfigException(src + ": mlp_ratio and layer_norm_eps must be positive");
    }

    /** microsoft/swin-base-patch4-window7-224(-in22k): the body both checkpoints share. */
    public static SwinConfig swinBasePatch4Window7_224() {
        return new SwinConfig(224, 4, 3, 128, new int[]{2, 2, 18, 2}, new int[]{4, 8, 16, 32}, 7, 4.0, 1e-5, "gelu");
    }

    @Override
    public String modelType() { return "swin"; }

    @Override
    public int[] depths() { return depths.clone(); }

    @Override
    public int[] numHeads() { return numHeads.clone(); }

    /** Width of the final stage (HF {@code hidden_size}): embed_dim * 2^(stages-1). */
    public int hiddenSize() { return embedDim << (depths.length - 1); }

    /**
     * Names and shapes of the HF {@code SwinModel} state dict (no "swin." prefix; absolute position embeddings
     * off). Stage s works at resolution (image/patch)/2^s; HF shrinks its window to that resolution when it is not
     * larger than window_size, which sets the relative-position table size (2w-1)^2. {@code relative_position_index}
     * is an I64 persistent buffer that HF checkpoints contain.
     */
    public Map<String, long[]> stateDictShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("embeddings.patch_embeddings.projection.weight", new long[]{embedDim, numChannels, patchSize, patchSize});
        m.put("embeddings.patch_embeddings.projection.bias", new long[]{embedDim});
        m.put("embeddings.norm.weight", new long[]{embedDim});
        m.put("embeddings.norm.bias", new long[]{embedDim});
        int resolution = imageSize / patchSize;
        for (int s = 0; s < depths.length; s++) {
            long d = (long) embedDim << s;
            long hidden = (long) (mlpRatio * d);
            int w = Math.min(windowSize, resolution);
            for (int b = 0; b < depths[s]; b++) {
                String p = "encoder.layers." + s + ".blocks." + b + ".";
                m.put(p + "layernorm_before.weight", new long[]{d});
                m.put(p + "layernorm_before.bias", new long[]{d});
                for (String proj : new String[]{"query", "key", "value"}) {
                    m.put(p + "attention.self." + proj + ".weight", new long[]{d, d});
                    m.put(p + "attention.self." + proj + ".bias", new long[]{d});
                }
                m.put(p + "attention.self.relative_position_bias_table", new long[]{(2L * w - 1) * (2L * w - 1), numHeads[s]});
                m.put(p + "attention.self.relative_position_index", new long[]{(long) w * w, (long) w * w});
                m.put(p + "attention.output.dense.weight", new long[]{d, d});
                m.put(p + "attention.output.dense.bias", new long[]{d});
                m.put(p + "layernorm_after.weight", new long[]{d});
                m.put(p + "layernorm_after.bias", new long[]{d});
                m.put(p + "intermediate.dense.weight", new long[]{hidden, d});
                m.put(p + "intermediate.dense.bias", new long[]{hidden});
                m.put(p + "output.dense.weight", new long[]{d, hidden});
                m.put(p + "output.dense.bias", new long[]{d});
            }
            if (s < depths.length - 1) {
                String p = "encoder.layers." + s + ".downsample.";
                m.put(p + "norm.weight", new long[]{4 * d});
                m.put(p + "norm.bias", new long[]{4 * d});
                m.put(p + "reduction.weight", new long[]{2 * d, 4 * d});
                resolution /= 2;
            }
        }
        m.put("layernorm.weight", new long[]{hiddenSize()});
        m.put("layernorm.bias", new long[]{hiddenSize()});
        return m;
    }

    private static final java.util.regex.Pattern BLOCK = java.util.regex.Pattern.compile("(?:^|\\.)encoder\\.layers\\.(\\d{1,9})\\.blocks\\.(\\d{1,9})\\.");

    @Override
    public void requireLayersOf(java.util.Collection<String> tensorNames, String source) {
        var stages = HfConfig.layerIndices(tensorNames, BLOCK);
        int[] found = new int[stages.isEmpty() ? 0 : stages.lastKey() + 1];
        stages.forEach((stage, blocks) -> found[stage] = blocks);
        if (!Arrays.equals(found, depths)) {
            throw new HfConfigException(source + ": the config has depths " + Arrays.toString(depths) + ", but the checkpoint holds blocks per stage "
                    + Arrays.toString(found) + " (encoder.layers.S.blocks.B tensors)");
        }
    }

    static SwinConfig fromJson(JsonNode root, String source) {
        try {
            return new SwinConfig(integer(root, "image_size", source, null), integer(root, "patch_size", source, null),
                    integer(root, "num_channels", source, 3), integer(root, "embed_dim", source, null),
                    intArray(root, "depths", source), intArray(root, "num_heads", source),
                    integer(root, "window_size", source, null), number(root, "mlp_ratio", source, 4.0),
                    number(root, "layer_norm_eps", source, 1e-5), text(root, "hidden_act", source, "gelu"));
        } catch (HfConfigException e) {
            throw e.getMessage().startsWith(source) ? e : new HfConfigException(source + ": " + e.getMessage());
        }
    }

    @Override
    public String toJson() {
        ObjectNode n = Safetensors.JSON.createObjectNode();
        n.put("model_type", "swin");
        n.put("image_size", imageSize);
        n.put("patch_size", patchSize);
        n.put("num_channels", numChannels);
        n.put("embed_dim", embedDim);
        ArrayNode d = n.putArray("depths");
        for (int v : depths) d.add(v);
        ArrayNode h = n.putArray("num_heads");
        for (int v : numHeads) h.add(v);
        n.put("window_size", windowSize);
        n.put("mlp_ratio", mlpRatio);
        n.put("layer_norm_eps", layerNormEps);
        n.put("hidden_act", hiddenAct);
        n.put("hidden_size", hiddenSize());
        return Fields.write(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SwinConfig c && imageSize == c.imageSize && patchSize == c.patchSize && numChannels == c.numChannels
                && embedDim == c.embedDim && Arrays.equals(depths, c.depths) && Arrays.equals(numHeads, c.numHeads)
                && windowSize == c.windowSize && mlpRatio == c.mlpRatio && layerNormEps == c.layerNormEps && hiddenAct.equals(c.hiddenAct);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(depths) + 17 * Arrays.hashCode(numHeads) + embedDim * 7 + windowSize;
    }

    @Override
    public String toString() {
        return "SwinConfig[image " + imageSize + ", patch " + patchSize + ", channels " + numChannels + ", embed " + embedDim
                + ", depths " + Arrays.toString(depths) + ", heads " + Arrays.toString(numHeads) + ", window " + windowSize
                + ", mlp_ratio " + mlpRatio + ", eps " + layerNormEps + ", act " + hiddenAct + "]";
    }
}
