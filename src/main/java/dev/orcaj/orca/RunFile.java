package dev.orcaj.orca;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run directory's {@value #NAME}: the command that made it and its settings as flag to text
 * ({@code {"command": "run", "options": {...}}}), written when an experiment starts and read back to resume it.
 */
public final class RunFile {
    public static final String NAME = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFile() {}

    public static void write(Path dir, String command, Map<String, String> settings) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("options", settings);
        byte[] bytes = JSON.writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve(NAME), out -> out.write(bytes));
    }

    public static Map<String, String> read(Path dir, String command) throws IOException {
        Path file = dir.resolve(NAME);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "expected the --out directory of an earlier 'orca " + command + "'");
        Map<String, Object> json;
        try {
            json = JSON.readValue(file.toFile(), new TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not a valid run file (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!command.equals(json.get("command")) || !(json.get("options") instanceof Map<?, ?> options)) {
            throw new IllegalArgumentException(file + ": expected {\"command\": \"" + command + "\", \"options\": {...}}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }
}
