package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code added_tokens} of a tokenizer.json (special tokens such as [CLS], [MASK], &lt;s&gt;). As in HF
 * {@code AddedVocabulary}, the input is first cut at occurrences of the tokens with {@code normalized=false}
 * (on the raw text); each remaining piece is normalized and cut at the tokens with {@code normalized=true}
 * (matched in normalized form). Matching is leftmost-longest; {@code lstrip}/{@code rstrip} swallow the
 * white space on that side of a match.
 */
final class AddedTokens {
    record AddedToken(int id, String content, boolean lstrip, boolean rstrip, boolean normalized) {}

    /** A piece of input: plain text ({@code id < 0}) or one added token. */
    record Piece(String text, int id) {
        boolean isAdded() {
            return id >= 0;
        }
    }

    private final List<AddedToken> raw = new ArrayList<>();
    private final List<AddedToken> normalizedForm = new ArrayList<>();

    AddedTokens(TokenizerJson json, UnaryOperator<String> normalizer) {
        JsonNode list = json.root.get("added_tokens");
        if (list == null || list.isNull()) return;
        if (!list.isArray()) throw json.error("added_tokens", "should be an array");
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            String path = "added_tokens[" + i + "]";
            if (json.bool(t, "single_word", false)) {
                throw json.error(path + ".single_word", "is true, which this implementation does not support");
            }
            String content = json.requireText(t, path, "content");
            if (content.isEmpty()) continue;
            int id = json.require(t, path, "id").asInt();
            boolean normalized = json.bool(t, "normalized", false);
            var token = new AddedToken(id, normalized ? normalizer.apply(content) : content,
                    json.bool(t, "lstrip", false), json.bool(t, "rstrip", false), normalized);
            (normalized ? normalizedForm : raw).add(token);
        }
    }

    /** Cuts raw input at the non-normalized added tokens. */
    List<Piece> splitRaw(String text) {
        return split(text, raw);
    }

    /** Cuts normalized text at the normalized added tokens. */
    List<Piece> splitNormalized(String text) {
        return split(text, normalizedForm);
    }

    private static List<Piece> split(String text, List<AddedToken> tokens) {
        List<Piece> out = new ArrayList<>();
        if (tokens.isEmpty()) {
            if (!text.isEmpty()) out.add(new Piece(text, -1));
            return out;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken best = null;
            for (AddedToken t : tokens) {
                if (text.startsWith(t.content(), i) && (best == null || t.content().length() > best.content().length())) {
                    best = t;
                }
            }
            if (best == null) {
                i++;
                continue;
            }
            int start = i;
            int end = i + best.content().length();
            if (best.lstrip()) {
                while (start > plainStart) {
                    int cp = text.codePointBefore(start);
                    if (!UnicodeProps.isWhiteSpace(cp)) break;
                    start -= Character.charCount(cp);
                }
            }
            if (best.rstrip()) {
                while (end < text.length()) {
                    int cp = text.codePointAt(end);
                    if (!UnicodeProps.isWhiteSpace(cp)) break;
                    end += Character.charCount(cp);
                }
            }
            if (start > plainStart) out.add(new Piece(text.substring(plainStart, start), -1));
            out.add(new Piece(text.substring(start, end), best.id())); // HF keeps the stripped spaces in the token string
            plainStart = end;
            i = end;
        }
        if (plainStart < text.length()) out.add(new Piece(text.substring(plainStart), -1));
        return out;
    }
}
