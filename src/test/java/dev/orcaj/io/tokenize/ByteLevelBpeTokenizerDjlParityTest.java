package dev.orcaj.io.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte-level BPE ids equal to HF tokenizers (through DJL) on a BPE trained by {@link TinyBpeTrainer} on UD-EWT dev
 * sentences 600..1099 (250 merges), checked on sentences 0..599 plus the tricky strings, with and without add_prefix_space.
 */
class ByteLevelBpeTokenizerDjlParityTest {
    private static void assertSame(ai.djl.huggingface.tokenizers.Encoding expected, Encoding actual, String what) {
        assertEquals(List.of(expected.getTokens()), List.of(actual.tokens()), what);
        assertArrayEquals(TokenizerTestData.toInt(expected.getIds()), actual.ids(), what);
        assertArrayEquals(TokenizerTestData.toInt(expected.getTypeIds()), actual.typeIds(), what);
    }

    private static List<String> all;
    private static List<String[]> merges;

    @org.junit.jupiter.api.BeforeAll
    static void train() throws Exception {
        all = TokenizerTestData.udSentences();
        merges = TinyBpeTrainer.train(all.subList(600, 1100), 250);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void matchesHfOnRealAndTrickyText(boolean addPrefixSpace) throws Exception {
        Path json = TinyBpeTrainer.write(merges, addPrefixSpace);
        ByteLevelBpeTokenizer ours = ByteLevelBpeTokenizer.fromFile(json);
        List<String> texts = new ArrayList<>(all.subList(0, 600));
        texts.addAll(TokenizerTestData.trickyStrings());
        int multiByteMerges = 0;
        try (HuggingFaceTokenizer full = TokenizerTestData.djl(json, Map.of("truncation", "false", "padding", "false"));
             HuggingFaceTokenizer cut = TokenizerTestData.djl(json, Map.of("truncation", "true", "maxLength", "20", "padding", "false"))) {
            for (String s : texts) {
                Encoding e = ours.encode(s);
                assertSame(full.encode(s), e, s);
                assertSame(cut.encode(s), ours.encode(s, 20), s);
                for (String t : e.tokens()) if (t.length() > 2) multiByteMerges++;
            }
            for (int i = 0; i + 1 < texts.size(); i += 2) {
                String a = texts.get(i), b = texts.get(i + 1);
                assertSame(full.encode(a, b), ours.encode(a, b), a + " || " + b);
                assertSame(cut.encode(a, b), ours.encode(a, b, 20), a + " || " + b);
            }
        }
        assertTrue(multiByteMerges > 1000, "merges should be exercised, saw " + multiByteMerges + " long tokens");
        assertEquals(1, ours.padId());
    }
}
