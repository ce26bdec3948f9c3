package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --config FILE}: a task configuration in JSON or (flat) YAML whose keys are the command's long flags without
 * dashes, e.g. {@code data: ucr:data/ECG200}, {@code epochs: 10}, {@code methods: [orca, finetune]},
 * {@code layernorm-only: true}. It expands into flags placed before the command line's own, so flags given on the
 * command line override the file. One mechanism: everything still goes through the commands' declared options.
 */
final class ConfigFile {
    private ConfigFile() {}

    /** Replaces {@code --config FILE} (after the command name) by the flags the file holds. */
    static List<String> expand(List<String> argv) throws IOException {
        int at = argv.indexOf("--config");
        if (at < 0) return argv;
        if (at + 1 >= argv.size()) throw new IllegalArgumentException("--config needs a file (JSON or YAML)");
        Path file = Path.of(argv.get(at + 1));
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "--config: no such file");
        List<String> flags = flags(file);
        List<String> out = new ArrayList<>(argv.subList(0, at));
        if (out.isEmpty()) out.add("run"); // "orca --config FILE" means "orca run --config FILE"
        out.addAll(1, flags);               // right after the command name: later command-line flags override
        out.addAll(argv.subList(at + 2, argv.size()));
        return out;
    }

    static List<String> flags(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Map<String, Object> entries = name.endsWith(".json") ? json(file) : yaml(file);
        List<String> flags = new ArrayList<>();
        for (var e : entries.entrySet()) {
            String flag = "--" + e.getKey();
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                if (b) flags.add(flag);
            } else if (v instanceof List<?> list) {
                flags.add(flag);
                flags.add(String.join(",", list.stream().map(String::valueOf).toList()));
            } else {
                flags.add(flag);
                flags.add(String.valueOf(v));
            }
        }
        return flags;
    }

    private static Map<String, Object> json(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": malformed JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException(file + ": expected a JSON object of flag names to values");
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        root.fields().forEachRemaining(f -> {
            JsonNode v = f.getValue();
            if (v.isBoolean()) out.put(f.getKey(), v.asBoolean());
            else if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(x.asText()));
                out.put(f.getKey(), items);
            } else if (v.isValueNode()) out.put(f.getKey(), v.asText());
            else throw new IllegalArgumentException(file + ": key '" + f.getKey() + "' must be a value or a list, not an object");
        });
        return out;
    }

    /** Flat YAML: {@code key: value} lines, {@code [a, b]} lists, {@code #} comments, optional quotes. */
    private static Map<String, Object> yaml(Path file) throws IOException {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("\\s+#.*$", "").strip();
            if (line.isEmpty() || line.startsWith("#") || line.equals("---")) continue;
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'key: value', got '" + line + "'");
            String key = line.substring(0, colon).strip(), value = unquote(line.substring(colon + 1).strip());
            if (value.isEmpty()) throw new IllegalArgumentException(file + ":" + (i + 1) + ": key '" + key + "' has no value (nested YAML is not supported)");
            if (value.startsWith("[") && value.endsWith("]")) {
                List<String> items = new ArrayList<>();
                for (String s : value.substring(1, value.length() - 1).split(",")) if (!s.isBlank()) items.add(unquote(s.strip()));
                out.put(key, items);
            } else if (value.equals("true") || value.equals("false")) out.put(key, Boolean.parseBoolean(value));
            else out.put(key, value);
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'")) ? s.substring(1, s.length() - 1) : s;
    }
}
