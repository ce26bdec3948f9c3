package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** {@code model.vocab} (token to id) of a tokenizer.json, with the added tokens also resolvable. */
final class Vocab implements HfTokenizer.Vocabulary {
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<Integer, String> tokens = new HashMap<>();
    private final int modelSize;

    Vocab(TokenizerJson json) {
        JsonNode vocab = json.require(json.require(json.root, "", "model"), "model", "vocab");
        if (!vocab.isObject()) throw json.error("model.vocab", "should be an object token -> id");
        for (var e : vocab.properties()) {
            if (!e.getValue().canConvertToInt()) throw json.error("model.vocab." + e.getKey(), "should be an integer id");
            put(e.getKey(), e.getValue().asInt());
        }
        modelSize = ids.size();
        JsonNode added = json.root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode t : added) {
                String c = t.path("content").asText();
                if (!ids.containsKey(c)) put(c, t.path("id").asInt());
            }
        }
    }

    private void put(String token, int id) {
        ids.put(token, id);
        tokens.putIfAbsent(id, token);
    }

    @Override
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public String token(int id) {
        return tokens.get(id);
    }

    public int modelSize() {
        return modelSize;
    }
}
