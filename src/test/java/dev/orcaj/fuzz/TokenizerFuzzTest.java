package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.io.tokenize.HfTokenizer;

/**
 * Fuzzes the tokenizer.json reader (WordPiece and byte-level BPE, added tokens, post-processors) and then encodes a
 * fixed text with what it built, single and pair, with truncation; see {@link ParserProperty}.
 */
class TokenizerFuzzTest {
    private static final String TEXT = "The cats sat. Ġcat <s> [CLS] naïve 日本 \u00e9\u0301 ##s";

    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed-tokenizer.json", () -> {
            HfTokenizer t = HfTokenizer.fromFile(ParserProperty.file("fuzzed-tokenizer.json", data));
            t.encode(TEXT);
            t.encode(TEXT, TEXT, 12);
            return null;
        });
    }
}
