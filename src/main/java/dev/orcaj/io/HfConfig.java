package dev.orcaj.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code config.json} of a supported body: {@link BertConfig} (model_type "bert" or "roberta") or
 * {@link SwinConfig} ("swin"). Unknown fields are ignored; a missing required field is named in the error.
 * {@link #toJson()} writes the HF field names, so a config round-trips through safetensors metadata.
 */
public sealed interface HfConfig permits BertConfig, SwinConfig {

    String modelType();

    /** HF-style JSON (snake_case keys) that {@link #parse} reads back to an equal config. */
    String toJson();

    /**
     * Checks the config's layer counts against the layers the checkpoint's tensor names hold, before anything is
     * allocated from the config: a num_hidden_layers of 1e6 next to a 6-layer checkpoint is one short error, not a
     * million layers built (or a million missing names listed).
     */
    void requireLayersOf(java.util.Collection<String> tensorNames, String source);

    /** For each match of {@code pattern} (group 1 = outer index, optional group 2 = inner index): outer -> 1 + highest inner. */
    static java.util.SortedMap<Integer, Integer> layerIndices(java.util.Collection<String> names, java.util.regex.Pattern pattern) {
        java.util.SortedMap<Integer, Integer> out = new java.util.TreeMap<>();
        for (String n : names) {
            java.util.regex.Matcher m = pattern.matcher(n);
            if (!m.find()) continue;
            int outer = Integer.parseInt(m.group(1)), inner = m.groupCount() >= 2 && m.group(2) != null ? Integer.parseInt(m.group(2)) + 1 : 1;
            out.merge(outer, inner, Math::max);
        }
        return out;
    }

    static HfConfig read(Path configJson) throws IOException {
        HeapBudget.requireFile(configJson, 8, "a JSON tree");
        return parse(Files.readString(configJson), configJson.toString());
    }

    /** Parses config JSON; {@code source} names it in errors. Dispatches on {@code model_type}. */
    static HfConfig parse(String json, String source) {
        JsonNode root = tree(json, source);
        String type = Fields.text(root, "model_type", source, null);
        return switch (type) {
            case "bert", "roberta" -> BertConfig.fromJson(root, source);
            case "swin" -> SwinConfig.fromJson(root, source);
            default -> throw new HfConfigException(source + ": unsupported model_type '" + type + "' (supported: bert, roberta, swin)");
        };
    }

    static JsonNode tree(String json, String source) {
        try {
            JsonNode root = Safetensors.JSON.readTree(json);
            if (root == null || !root.isObject()) throw new HfConfigException(source + ": config is not a JSON object");
            return root;
        } catch (JsonProcessingException e) {
            throw new HfConfigException(source + ": malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** A config.json that is malformed, lacks a required field, or has a value of the wrong type. */
    final class HfConfigException extends IllegalArgumentException {
        public HfConfigException(String message) { super(OneLine.of(message)); }
    }

    /** Typed field access with errors naming the file and field. A null default marks the field as required. */
    final class Fields {
        private Fields() {}

        private static JsonNode field(JsonNode root, String name, String source, boolean required) {
            JsonNode v = root.get(name);
            if ((v == null || v.isNull()) && required) throw new HfConfigException(source + ": missing required field '" + name + "'");
            return v == null || v.isNull() ? null : v;
        }

        static String text(JsonNode root, String name, String source, String dflt) {
            JsonNode v = field(root, name, source, dflt == null);
            if (v == null) return dflt;
            if (!v.isTextual()) throw new HfConfigException(source + ": field '" + name + "' must be a string, got " + v);
            return v.textValue();
        }

        static int integer(JsonNode root, String name, String source, Integer dflt) {
            JsonNode v = field(root, name, source, dflt == null);
            if (v == null) return dflt;
            if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new HfConfigException(source + ": field '" + name + "' must be an integer, got " + v);
            return v.intValue();
        }

        static double number(JsonNode root, String name, String source, Double dflt) {
            JsonNode v = field(root, name, source, dflt == null);
            if (v == null) return dflt;
            if (!v.isNumber()) throw new HfConfigException(source + ": field '" + name + "' must be a number, got " + v);
            return v.doubleValue();
        }

        static int[] intArray(JsonNode root, String name, String source) {
            JsonNode v = field(root, name, source, true);
            if (!v.isArray() || v.isEmpty()) throw new HfConfigException(source + ": field '" + name + "' must be a non-empty array of integers, got " + v);
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isIntegralNumber()) throw new HfConfigException(source + ": field '" + name + "' must hold integers, got " + v);
                out[i] = v.get(i).intValue();
            }
            return out;
        }

        static void positive(int value, String name, String source) {
            if (value <= 0) throw new HfConfigException(source + ": field '" + name + "' must be positive, got " + value);
        }

        static String write(ObjectNode node) {
            try {
                return Safetensors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
