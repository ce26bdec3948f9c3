package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The model-independent half of a Hugging Face {@code tokenizers} pipeline, read from a tokenizer.json:
 * added-token splitting, normalizer + pre-tokenizer + model (in the subclass), truncation, post-processor and padding,
 * in the order of HF {@code TokenizerImpl::encode} (each sequence encoded alone, then truncated, then post-processed).
 *
 * <p>The {@code truncation}/{@code padding} blocks of the file are not applied implicitly: {@link #encode(String)}
 * returns every token; callers pass a maximum length. From the file we take only the truncation strategy and
 * direction, its {@code max_length} ({@link #defaultMaxLength()}) and the pad id.
 */
public abstract sealed class HfTokenizer permits WordPieceTokenizer, ByteLevelBpeTokenizer {
    /** Reads a Hugging Face tokenizer.json and builds the tokenizer its {@code model.type} names (WordPiece or BPE). */
    public static HfTokenizer fromFile(java.nio.file.Path tokenizerJson) {
        String type;
        try {
            dev.orcaj.io.HeapBudget.requireFile(tokenizerJson, 8, "a JSON tree and vocabulary maps");
            type = new com.fasterxml.jackson.databind.ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("type").asText("");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) { // its getMessage() adds a second line with the location
            throw new IllegalArgumentException(tokenizerJson + ": not valid JSON (" + e.getOriginalMessage() + TokenizerJson.where(e) + ")", e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(tokenizerJson + ": cannot read tokenizer.json (" + e.getMessage() + ")", e);
        }
        return switch (type) {
            case "WordPiece" -> WordPieceTokenizer.fromFile(tokenizerJson);
            case "BPE" -> ByteLevelBpeTokenizer.fromFile(tokenizerJson);
            default -> throw new IllegalArgumentException(dev.orcaj.io.OneLine.of(tokenizerJson + ": field 'model.type' is '" + type + "', expected WordPiece or BPE"));
        };
    }

    private enum Strategy { LONGEST_FIRST, ONLY_FIRST, ONLY_SECOND }

    private final String source;
    private final AddedTokens addedTokens;
    private final PostProcessor postProcessor;
    private final Strategy strategy;
    private final boolean truncateLeft;
    private final int defaultMaxLength;
    private final int padId;
    private final int padTypeId;
    private final String padToken;

    private final Vocabulary vocab;

    HfTokenizer(TokenizerJson json, UnaryOperator<String> normalizer, Vocabulary vocab) {
        this.vocab = vocab;
        this.source = json.source;
        this.addedTokens = new AddedTokens(json, normalizer);
        this.postProcessor = PostProcessor.fromJson(json);
        JsonNode trunc = json.root.get("truncation");
        if (trunc != null && !trunc.isNull()) {
            String s = trunc.path("strategy").asText("LongestFirst");
            this.strategy = switch (s) {
                case "LongestFirst" -> Strategy.LONGEST_FIRST;
                case "OnlyFirst" -> Strategy.ONLY_FIRST;
                case "OnlySecond" -> Strategy.ONLY_SECOND;
                default -> throw json.error("truncation.strategy", "is '" + s + "', expected LongestFirst, OnlyFirst or OnlySecond");
            };
            String dir = trunc.path("direction").asText("Right");
            if (!dir.equals("Right") && !dir.equals("Left")) throw json.error("truncation.direction", "should be Right or Left");
            this.truncateLeft = dir.equals("Left");
            this.defaultMaxLength = trunc.path("max_length").asInt(-1);
        } else {
            this.strategy = Strategy.LONGEST_FIRST;
            this.truncateLeft = false;
            this.defaultMaxLength = -1;
        }
        JsonNode pad = json.root.get("padding");
        if (pad != null && !pad.isNull()) {
            this.padId = json.require(pad, "padding", "pad_id").asInt();
            this.padTypeId = pad.path("pad_type_id").asInt(0);
            this.padToken = pad.path("pad_token").asText(vocab.token(padId));
        } else {
            String name = vocab.id("[PAD]") >= 0 ? "[PAD]" : vocab.id("<pad>") >= 0 ? "<pad>" : null;
            this.padId = name == null ? -1 : vocab.id(name);
            this.padTypeId = 0;
            this.padToken = name;
        }
    }

    /** Token strings and ids of the model vocabulary plus added tokens. */
    interface Vocabulary {
        /** The id of {@code token}, or -1. */
        int id(String token);

        /** The token of {@code id}, or null. */
        String token(int id);

        /** Number of entries in the model vocabulary (added tokens not counted). */
        int modelSize();
    }

    /** Normalizer, pre-tokenizer and model on one piece of text that holds no added token. */
    abstract void tokenizePlain(String text, Seq out);

    /** Normalizes a piece of text (the identity when the file has no normalizer). */
    abstract String normalize(String text);

    /** Number of entries in the model vocabulary. */
    public int vocabSize() { return vocab.modelSize(); }

    /** The id of {@code token} in the vocabulary (or added tokens), or -1 if absent. */
    public int tokenToId(String token) { return vocab.id(token); }

    /** The token of {@code id}, or null if absent. */
    public String idToToken(int id) { return vocab.token(id); }

    /** {@code truncation.max_length} of the tokenizer.json, or -1 when the file sets none. */
    public int defaultMaxLength() {
        return defaultMaxLength;
    }

    /** The pad id ({@code padding.pad_id}, else the id of [PAD] or &lt;pad&gt;), or -1 if the tokenizer has none. */
    public int padId() {
        return padId;
    }

    /** Tokens of {@code text} without special tokens, truncation or padding. */
    public List<String> tokenize(String text) {
        Seq s = encodeSequence(text);
        List<String> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) out.add(s.token(i));
        return out;
    }

    /** One text with special tokens, no truncation, no padding. */
    public Encoding encode(String text) {
        return encode(text, Integer.MAX_VALUE);
    }

    /** One text with special tokens, truncated to {@code maxLength} tokens in all. */
    public Encoding encode(String text, int maxLength) {
        return encodeInternal(text, null, maxLength);
    }

    /** A pair of texts (e.g. [CLS] a [SEP] b [SEP] with type ids 0 then 1), no truncation. */
    public Encoding encode(String a, String b) {
        return encode(a, b, Integer.MAX_VALUE);
    }

    /** A pair of texts truncated to {@code maxLength} tokens in all, by the file's strategy (default LongestFirst). */
    public Encoding encode(String a, String b, int maxLength) {
        return encodeInternal(a, Objects.requireNonNull(b, "second text"), maxLength);
    }

    /** Texts truncated and padded to exactly {@code maxLen}: arrays {@code [texts.size()][maxLen]}. */
    public BatchEncoding encodeBatch(List<String> texts, int maxLen) {
        List<Encoding> encs = new ArrayList<>(texts.size());
        for (String t : texts) encs.add(encode(t, maxLen));
        return pad(encs, maxLen);
    }

    /** Pairs {@code (a[i], b[i])} truncated and padded to exactly {@code maxLen}. */
    public BatchEncoding encodePairBatch(List<String> a, List<String> b, int maxLen) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("encodePairBatch: " + a.size() + " first texts but " + b.size() + " second texts");
        }
        List<Encoding> encs = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) encs.add(encode(a.get(i), b.get(i), maxLen));
        return pad(encs, maxLen);
    }

    private BatchEncoding pad(List<Encoding> encs, int maxLen) {
        if (padId < 0) throw new IllegalStateException(source + ": no padding.pad_id and no [PAD]/<pad> token; cannot pad");
        int n = encs.size();
        int[][] ids = new int[n][maxLen];
        int[][] mask = new int[n][maxLen];
        int[][] types = new int[n][maxLen];
        for (int i = 0; i < n; i++) {
            Encoding e = encs.get(i);
            int len = e.length();
            System.arraycopy(e.ids(), 0, ids[i], 0, len);
            System.arraycopy(e.attentionMask(), 0, mask[i], 0, len);
            System.arraycopy(e.typeIds(), 0, types[i], 0, len);
            java.util.Arrays.fill(ids[i], len, maxLen, padId);
            java.util.Arrays.fill(types[i], len, maxLen, padTypeId);
        }
        return new BatchEncoding(ids, mask, types);
    }

    /** The pad token string, or null. */
    public String padToken() {
        return padToken;
    }

    private Encoding encodeInternal(String a, String b, int maxLength) {
        Objects.requireNonNull(a, "text");
        boolean isPair = b != null;
        int added = postProcessor.addedTokens(isPair);
        if (maxLength < added) {
            throw new IllegalArgumentException("maxLength " + maxLength + " is smaller than the " + added
                    + " special tokens the post-processor adds");
        }
        Seq sa = encodeSequence(a);
        Seq sb = isPair ? encodeSequence(b) : null;
        if (maxLength != Integer.MAX_VALUE) {
            int budget = maxLength - added;
            Seq[] t = truncate(sa, sb, budget);
            sa = t[0];
            sb = t[1];
        }
        return postProcessor.apply(sa, sb);
    }

    /** HF {@code truncate_encodings}: cut one or both sequences so that together they hold at most {@code max}. */
    private Seq[] truncate(Seq a, Seq b, int max) {
        int total = a.size() + (b == null ? 0 : b.size());
        if (total <= max) return new Seq[] {a, b};
        int toRemove = total - max;
        switch (strategy) {
            case LONGEST_FIRST -> {
                if (b == null) return new Seq[] {a.truncated(max, truncateLeft), null};
                // HF: with n1 the shorter length, keep n1 if it fits in half, else split max in two (longer gets the odd one)
                int n1 = a.size();
                int n2 = b.size();
                boolean swap = n1 > n2;
                if (swap) { int x = n1; n1 = n2; n2 = x; }
                n2 = n1 > max ? n1 : Math.max(n1, max - n1);
                if (n1 + n2 > max) {
                    n1 = max / 2;
                    n2 = n1 + max % 2;
                }
                if (swap) { int x = n1; n1 = n2; n2 = x; }
                return new Seq[] {a.truncated(n1, truncateLeft), b.truncated(n2, truncateLeft)};
            }
            case ONLY_FIRST -> {
                if (a.size() <= toRemove) throw tooLong("first", a.size(), toRemove);
                return new Seq[] {a.truncated(a.size() - toRemove, truncateLeft), b};
            }
            default -> {
                if (b == null || b.size() <= toRemove) throw tooLong("second", b == null ? 0 : b.size(), toRemove);
                return new Seq[] {a, b.truncated(b.size() - toRemove, truncateLeft)};
            }
        }
    }

    private IllegalArgumentException tooLong(String which, int len, int toRemove) {
        return new IllegalArgumentException(source + ": truncation strategy " + strategy + " must remove " + toRemove
                + " tokens but the " + which + " sequence has only " + len);
    }

    /** One sequence without special tokens: added-token split, normalize, added-token split again, model. */
    private Seq encodeSequence(String text) {
        Seq out = new Seq();
        for (AddedTokens.Piece rawPiece : addedTokens.splitRaw(text)) {
            if (rawPiece.isAdded()) {
                out.add(rawPiece.id(), rawPiece.text());
                continue;
            }
            for (AddedTokens.Piece p : addedTokens.splitNormalized(normalize(rawPiece.text()))) {
                if (p.isAdded()) out.add(p.id(), p.text());
                else tokenizePlain(p.text(), out);
            }
        }
        return out;
    }
}
