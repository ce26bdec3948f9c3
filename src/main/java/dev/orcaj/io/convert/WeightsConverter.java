package dev.orcaj.io.convert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.DType;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.io.onnx.MiniLmWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts pretrained bodies into the engine checkpoint ({@link EngineCheckpoint}): a Hugging Face checkpoint
 * directory (config.json + model.safetensors or a sharded index; F32/F16/BF16), or the MiniLM ONNX embedded in the jar.
 * Task heads (lm_head, classifier, ...) are dropped: when any name carries the body prefix ("bert.", "roberta.",
 * "swin."), only prefixed tensors are kept. The result is checked against the config's expected names and shapes.
 */
public final class WeightsConverter {
    /** Exported buffers that HF recomputes and current HF does not persist. */
    private static final List<String> NON_PERSISTENT = List.of("embeddings.position_ids", "embeddings.token_type_ids");

    private WeightsConverter() {}

    /** What a conversion wrote. */
    public record Result(Path out, HfConfig config, DType storedAs, int tensorCount, List<String> dropped) {}

    /** Converts an HF checkpoint directory; {@code storeAs} is F32 or BF16. */
    public static Result convertHf(Path hfDir, Path out, DType storeAs) throws IOException {
        checkStoreType(storeAs);
        Path configFile = hfDir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new java.nio.file.NoSuchFileException(configFile.toString(), null, "HF checkpoint directory needs config.json");
        HfConfig config = HfConfig.read(configFile);
        SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(hfDir);
        List<String> dropped = new ArrayList<>();
        Map<String, NdArray> body = bodyTensors(ck.tensors(), config.modelType() + ".", dropped);
        return finish(out, config, body, storeAs, dropped, hfDir.toString());
    }

    /** Converts the all-MiniLM-L6-v2 body embedded in the jar (no pooler: the ONNX export has none). */
    public static Result convertMiniLm(Path out, DType storeAs) throws IOException {
        checkStoreType(storeAs);
        return finish(out, MiniLmWeights.config(), new TreeMap<>(MiniLmWeights.load()), storeAs, new ArrayList<>(), "classpath:" + MiniLmWeights.RESOURCE);
    }

    private static void checkStoreType(DType storeAs) {
        if (storeAs != DType.F32 && storeAs != DType.BF16) throw new IllegalArgumentException("stored dtype must be F32 or BF16, got " + storeAs);
    }

    /** Strips the body prefix, drops heads and non-persistent buffers, renames legacy LayerNorm gamma/beta. */
    static Map<String, NdArray> bodyTensors(Map<String, NdArray> all, String prefix, List<String> dropped) {
        boolean prefixed = all.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        Map<String, NdArray> out = new TreeMap<>();
        for (Map.Entry<String, NdArray> e : all.entrySet()) {
            String name = e.getKey();
            if (prefixed && !name.startsWith(prefix)) { dropped.add(name); continue; }
            if (prefixed) name = name.substring(prefix.length());
            if (NON_PERSISTENT.contains(name)) { dropped.add(e.getKey()); continue; }
            // checkpoints converted from TF name LayerNorm parameters gamma/beta; HF renames them on load too
            if (name.contains("LayerNorm.")) name = name.replaceAll("\\.gamma$", ".weight").replaceAll("\\.beta$", ".bias");
            if (out.put(name, e.getValue()) != null) throw new IllegalArgumentException("two tensors map to '" + name + "'");
        }
        return out;
    }

    private static Result finish(Path out, HfConfig config, Map<String, NdArray> body, DType storeAs, List<String> dropped, String source) throws IOException {
        Map<String, long[]> expected = switch (config) {
            case BertConfig b -> b.stateDictShapes(true);
            case SwinConfig s -> s.stateDictShapes();
        };
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            NdArray a = body.get(e.getKey());
            // the pooler is optional: MLM checkpoints (roberta-base) and sentence-transformer exports do not have one
            if (a == null && !e.getKey().startsWith("pooler.")) problems.add("missing " + e.getKey());
            else if (a != null && !Arrays.equals(a.shape(), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(a.shape()) + ", config implies " + Arrays.toString(e.getValue()));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(source + ": does not match its " + config.modelType() + " config: " + problems);
        Map<String, NdArray> stored = new TreeMap<>();
        for (Map.Entry<String, NdArray> e : body.entrySet()) {
            if (!expected.containsKey(e.getKey())) { dropped.add(e.getKey()); continue; }
            NdArray a = e.getValue();
            stored.put(e.getKey(), a.dtype().isFloating() ? a.castTo(storeAs) : a);
        }
        EngineCheckpoint.write(out, config, stored);
        return new Result(out, config, storeAs, stored.size(), List.copyOf(dropped));
    }
}
