package dev.orcaj.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's own checkpoint: ONE safetensors file with HF parameter names (no "bert."/"roberta."/"swin." prefix),
 * stored F32 or BF16 (integer buffers keep their type), and the HF config in its metadata under
 * {@value #CONFIG_KEY} (JSON, as {@link HfConfig#toJson()}) and {@value #MODEL_TYPE_KEY}.
 * Written by {@code dev.orcaj.io.convert.WeightsConverter}; BF16 tensors upcast exactly with {@link NdArray#toFloats()}.
 */
public record EngineCheckpoint(HfConfig config, Map<String, NdArray> tensors, Map<String, String> metadata) {
    public static final String CONFIG_KEY = "orcaj.config";
    public static final String MODEL_TYPE_KEY = "orcaj.model_type";

    public EngineCheckpoint {
        tensors = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tensors));
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public static EngineCheckpoint load(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        String json = c.metadata().get(CONFIG_KEY);
        if (json == null) {
            throw new SafetensorsFormatException(file + ": no '" + CONFIG_KEY + "' in __metadata__; not an ORCA-J checkpoint (convert it with 'orca convert')");
        }
        HfConfig config = HfConfig.parse(json, file + " metadata " + CONFIG_KEY);
        String type = c.metadata().get(MODEL_TYPE_KEY);
        if (type != null && !type.equals(config.modelType())) {
            throw new SafetensorsFormatException(file + ": " + MODEL_TYPE_KEY + " '" + type + "' disagrees with the config's model_type '" + config.modelType() + "'");
        }
        return new EngineCheckpoint(config, c.tensors(), c.metadata());
    }

    /** Writes tensors (as given: cast them first) with the config in the metadata, atomically. */
    public static void write(Path file, HfConfig config, Map<String, NdArray> tensors) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(CONFIG_KEY, config.toJson());
        meta.put(MODEL_TYPE_KEY, config.modelType());
        Safetensors.write(file, tensors, meta);
    }

    /** The named tensor; throws naming the tensor when absent. */
    public NdArray get(String name) {
        NdArray a = tensors.get(name);
        if (a == null) throw new IllegalArgumentException("checkpoint has no tensor '" + name + "' (" + config.modelType() + ")");
        return a;
    }
}
