package dev.orcaj.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint stored as one safetensors file or as shards listed by a Hugging Face
 * {@code model.safetensors.index.json} ({@code {"metadata": {...}, "weight_map": {tensor: shard file}}}).
 * Tensors are memory-mapped views.
 *
 * @param source   what was opened (file, index or directory)
 * @param files    the safetensors files read
 * @param tensors  name to array (per file in header order, files in index order)
 * @param metadata the files' {@code __metadata__} merged, then the index's {@code metadata} (values as strings)
 */
public record SafetensorsCheckpoint(Path source, List<Path> files, Map<String, NdArray> tensors, Map<String, String> metadata) {
    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String SINGLE_FILE = "model.safetensors";

    public SafetensorsCheckpoint {
        files = List.copyOf(files);
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Opens a safetensors file, a {@code *.index.json}, or a directory holding {@value #INDEX_FILE} (preferred) or
     * {@value #SINGLE_FILE}.
     */
    public static SafetensorsCheckpoint open(Path fileOrDir) throws IOException {
        if (Files.isDirectory(fileOrDir)) {
            Path index = fileOrDir.resolve(INDEX_FILE);
            if (Files.isRegularFile(index)) return openSharded(index);
            Path single = fileOrDir.resolve(SINGLE_FILE);
            if (Files.isRegularFile(single)) return openSingle(single);
            throw new SafetensorsFormatException(fileOrDir + ": no " + SINGLE_FILE + " or " + INDEX_FILE + " in this directory"
                    + (Files.exists(fileOrDir.resolve("pytorch_model.bin")) ? " (only pytorch_model.bin, a pickle, which is not read: convert it to safetensors first)" : ""));
        }
        if (!Files.isRegularFile(fileOrDir)) throw new java.nio.file.NoSuchFileException(fileOrDir.toString(), null, "no such safetensors file or directory");
        if (fileOrDir.getFileName().toString().endsWith(".index.json")) return openSharded(fileOrDir);
        return openSingle(fileOrDir);
    }

    private static SafetensorsCheckpoint openSingle(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        return new SafetensorsCheckpoint(file, List.of(file), c.tensors(), c.metadata());
    }

    private static SafetensorsCheckpoint openSharded(Path index) throws IOException {
        JsonNode root;
        try {
            HeapBudget.requireFile(index, 8, "a JSON tree");
            root = Safetensors.JSON.readTree(Files.readString(index));
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(index + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new SafetensorsFormatException(index + ": missing or empty 'weight_map' object");
        }
        Map<String, List<String>> namesByShard = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) throw new SafetensorsFormatException(index + ": weight_map value of '" + e.getKey() + "' is not a file name");
            String shard = e.getValue().textValue();
            if (shard.contains("/") || shard.contains("\\")) throw new SafetensorsFormatException(index + ": shard '" + shard + "' must be a plain file name beside the index");
            namesByShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(e.getKey());
        }
        Path dir = index.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> shard : namesByShard.entrySet()) {
            Path file = dir.resolve(shard.getKey());
            if (!Files.isRegularFile(file)) {
                throw new SafetensorsFormatException(index + ": shard " + shard.getKey() + " (holding '" + shard.getValue().getFirst() + "') is missing");
            }
            Safetensors.Contents c = Safetensors.read(file);
            files.add(file);
            metadata.putAll(c.metadata());
            Set<String> wanted = Set.copyOf(shard.getValue());
            for (String name : shard.getValue()) {
                NdArray a = c.tensors().get(name);
                if (a == null) throw new SafetensorsFormatException(index + ": tensor '" + name + "' is mapped to " + file + " which does not hold it");
                tensors.put(name, a);
            }
            for (String name : c.tensors().keySet()) {
                if (!wanted.contains(name)) throw new SafetensorsFormatException(file + ": tensor '" + name + "' is not listed for this shard in " + index);
            }
        }
        JsonNode meta = root.get("metadata");
        if (meta != null && meta.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                metadata.put(m.getKey(), m.getValue().isTextual() ? m.getValue().textValue() : m.getValue().toString());
            }
        }
        return new SafetensorsCheckpoint(index, files, tensors, metadata);
    }

    public Set<String> names() { return tensors.keySet(); }

    /** The named tensor; throws naming the checkpoint when absent. */
    public NdArray get(String name) {
        NdArray a = tensors.get(name);
        if (a == null) throw new IllegalArgumentException(source + ": no tensor '" + name + "'");
        return a;
    }
}
