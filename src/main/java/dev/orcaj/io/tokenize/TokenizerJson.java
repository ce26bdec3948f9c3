package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading a Hugging Face {@code tokenizer.json} with errors that name the source and the field. */
final class TokenizerJson {
    final JsonNode root;
    final String source;

    private TokenizerJson(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    static TokenizerJson read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            dev.orcaj.io.HeapBudget.requireFile(file, 8, "a JSON tree and vocabulary maps");
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer file " + file, e);
        }
    }

    static TokenizerJson read(InputStream in, String source) {
        try {
            JsonNode root = new ObjectMapper().readTree(in);
            if (root == null || !root.isObject()) throw new IllegalArgumentException(source + ": not a JSON object");
            return new TokenizerJson(root, source);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    static TokenizerJson classpath(String resource) {
        InputStream in = TokenizerJson.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("classpath resource " + resource + " not found");
        try (in) {
            return read(in, "classpath:" + resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child {@code field} of {@code node}; fails if missing or JSON null. */
    JsonNode require(JsonNode node, String path, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw error(path + "." + field, "is missing");
        return v;
    }

    String requireText(JsonNode node, String path, String field) {
        JsonNode v = require(node, path, field);
        if (!v.isTextual()) throw error(path + "." + field, "should be a string, got " + v.getNodeType());
        return v.asText();
    }

    /** {@code node.field} as a type name, where the block must be one of {@code allowed}. */
    String requireType(JsonNode node, String path, String... allowed) {
        String type = requireText(node, path, "type");
        for (String a : allowed) if (a.equals(type)) return type;
        throw error(path + ".type", "is '" + type + "', supported: " + String.join(", ", allowed));
    }

    boolean bool(JsonNode node, String field, boolean dflt) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? dflt : v.asBoolean();
    }

    IllegalArgumentException error(String path, String what) {
        return new IllegalArgumentException(source + ": field '" + path + "' " + what);
    }
}
