package dev.orcaj.io.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * GPT-2/RoBERTa style byte-level BPE tokenizer from a Hugging Face tokenizer.json: no normalizer,
 * {@link ByteLevel} pre-tokenizer ({@code add_prefix_space}, GPT-2 regex, byte-to-unicode map), {@link BpeModel},
 * then the post-processor (RobertaProcessing: &lt;s&gt; a &lt;/s&gt; and &lt;s&gt; a &lt;/s&gt;&lt;/s&gt; b &lt;/s&gt;).
 */
public final class ByteLevelBpeTokenizer extends HfTokenizer {
    private final Vocab vocab;
    private final ByteLevel byteLevel;
    private final BpeModel model;

    private ByteLevelBpeTokenizer(TokenizerJson json, Vocab vocab) {
        super(json, s -> s, vocab);
        this.vocab = vocab;
        JsonNode pre = json.require(json.root, "", "pre_tokenizer");
        json.requireType(pre, "pre_tokenizer", "ByteLevel");
        this.byteLevel = new ByteLevel(json.bool(pre, "add_prefix_space", true), json.bool(pre, "use_regex", true));
        this.model = new BpeModel(json, vocab);
    }

    private static ByteLevelBpeTokenizer build(TokenizerJson json) {
        JsonNode norm = json.root.get("normalizer");
        if (norm != null && !norm.isNull()) {
            throw json.error("normalizer", "is set: byte-level BPE here supports only tokenizers without a normalizer");
        }
        json.requireType(json.require(json.root, "", "model"), "model", "BPE");
        return new ByteLevelBpeTokenizer(json, new Vocab(json));
    }

    public static ByteLevelBpeTokenizer fromFile(Path tokenizerJson) {
        return build(TokenizerJson.read(tokenizerJson));
    }

    public static ByteLevelBpeTokenizer fromStream(InputStream in, String sourceName) {
        return build(TokenizerJson.read(in, sourceName));
    }

    @Override
    String normalize(String text) {
        return text;
    }

    @Override
    void tokenizePlain(String text, Seq out) {
        for (String piece : byteLevel.preTokenize(text)) model.tokenize(piece, out);
    }
}
