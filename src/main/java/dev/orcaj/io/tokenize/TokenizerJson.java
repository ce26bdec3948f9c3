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
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) { // its getMessage() adds a second line with the location
            throw new IllegalArgumentException(source + ": invalid JSON: " + e.getOriginalMessage() + where(e), e);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** " at line L, column C" of a JSON error, or nothing where Jackson has no location. */
    static String where(com.fasterxml.jackson.core.JsonProcessingException e) {
        var at = e.getLocation();
        return at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
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
        return new IllegalArgumentException(dev.orcaj.io.OneLine.of(source + ": field '" + path + "' " + what));
    }
}
