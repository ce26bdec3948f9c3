package dev.orcaj.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective value of every option of a command (defaults included), as flag to text: stored in checkpoints and
 * in a run directory's {@value #RUN_FILE}, and turned back into a command line to resume the run with exactly the
 * settings it started with, whatever the defaults are by then.
 */
final class CliSettings {
    static final String RUN_FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CliSettings() {}

    /** Every option except help/version and those in {@code skip}; unset options (null) are left out. */
    static Map<String, String> of(CommandSpec spec, Set<String> skip) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp() || skip.contains(o.longestName())) continue;
            Object v = o.getValue();
            if (v == null) continue;
            out.put(o.longestName(), v instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList()) : String.valueOf(v));
        }
        return out;
    }

    /** The command line that sets these values (boolean flags appear only when true). */
    static List<String> toArgs(CommandSpec spec, Map<String, String> settings) {
        List<String> args = new ArrayList<>();
        settings.forEach((flag, value) -> {
            OptionSpec o = spec.findOption(flag);
            if (o == null) throw new IllegalArgumentException("unknown option '" + flag + "'");
            if (o.arity().max() == 0) {
                if (Boolean.parseBoolean(value)) args.add(flag);
            } else {
                args.add(flag);
                args.add(value);
            }
        });
        return args;
    }

    static void writeRunFile(Path dir, String command, Map<String, String> settings) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("options", settings);
        byte[] bytes = JSON.writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve(RUN_FILE), out -> out.write(bytes));
    }

    static Map<String, String> readRunFile(Path dir, String command) throws IOException {
        Path file = dir.resolve(RUN_FILE);
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
