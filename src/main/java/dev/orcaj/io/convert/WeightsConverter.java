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

    /**
     * Any supported pretrained source, in memory and checked, tensors in their stored types: an engine checkpoint
     * file (safetensors with {@value EngineCheckpoint#CONFIG_KEY} metadata) or an HF checkpoint directory.
     */
    public static EngineCheckpoint load(Path fileOrDir) throws IOException {
        if (Files.isRegularFile(fileOrDir)) return EngineCheckpoint.load(fileOrDir);
        return readHf(fileOrDir, new ArrayList<>());
    }

    /** The embedded all-MiniLM-L6-v2 body (F32, no pooler) with its config. */
    public static EngineCheckpoint loadMiniLm() throws IOException {
        return checked(MiniLmWeights.config(), new TreeMap<>(MiniLmWeights.load()), new ArrayList<>(), "classpath:" + MiniLmWeights.RESOURCE);
    }

    /** Converts an HF checkpoint directory; {@code storeAs} is F32 or BF16. */
    public static Result convertHf(Path hfDir, Path out, DType storeAs) throws IOException {
        checkStoreType(storeAs);
        List<String> dropped = new ArrayList<>();
        return write(readHf(hfDir, dropped), out, storeAs, dropped);
    }

    /** Converts the all-MiniLM-L6-v2 body embedded in the jar (no pooler: the ONNX export has none). */
    public static Result convertMiniLm(Path out, DType storeAs) throws IOException {
        checkStoreType(storeAs);
        return write(loadMiniLm(), out, storeAs, List.of());
    }

    private static EngineCheckpoint readHf(Path hfDir, List<String> dropped) throws IOException {
        Path configFile = hfDir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new java.nio.file.NoSuchFileException(configFile.toString(), null, "HF checkpoint directory needs config.json");
        HfConfig config = HfConfig.read(configFile);
        SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(hfDir);
        return checked(config, bodyTensors(ck.tensors(), config.modelType() + ".", dropped), dropped, hfDir.toString());
    }

    private static Result write(EngineCheckpoint body, Path out, DType storeAs, List<String> dropped) throws IOException {
        Map<String, NdArray> stored = new TreeMap<>();
        body.tensors().forEach((name, a) -> stored.put(name, a.dtype().isFloating() ? a.castTo(storeAs) : a));
        EngineCheckpoint.write(out, body.config(), stored);
        return new Result(out, body.config(), storeAs, stored.size(), List.copyOf(dropped));
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

    /** Checks names and shapes against the config; tensors the config does not know are moved to {@code dropped}. */
    private static EngineCheckpoint checked(HfConfig config, Map<String, NdArray> body, List<String> dropped, String source) {
        config.requireLayersOf(body.keySet(), source); // fast, before the expected names of every configured layer are listed
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
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(source + ": does not match its " + config.modelType() + " config: " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? "; ... and " + (problems.size() - 5) + " more" : ""));
        }
        Map<String, NdArray> kept = new TreeMap<>();
        body.forEach((name, a) -> {
            if (expected.containsKey(name)) kept.put(name, a);
            else dropped.add(name);
        });
        return new EngineCheckpoint(config, kept, Map.of(EngineCheckpoint.MODEL_TYPE_KEY, config.modelType()));
    }
}
