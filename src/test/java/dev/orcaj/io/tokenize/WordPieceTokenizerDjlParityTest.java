package dev.orcaj.io.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** all-MiniLM-L6-v2 WordPiece ids, type ids and tokens equal to HF tokenizers (Rust, through DJL 0.30.0). */
class WordPieceTokenizerDjlParityTest {
    private static WordPieceTokenizer ours;
    private static HuggingFaceTokenizer reference;
    private static HuggingFaceTokenizer reference24;
    private static List<String> sentences;

    @BeforeAll
    static void setUp() throws Exception {
        ours = WordPieceTokenizer.miniLm();
        Path json = TokenizerTestData.resourceToTempFile(WordPieceTokenizer.MINILM_RESOURCE);
        reference = TokenizerTestData.djl(json, Map.of("truncation", "false", "padding", "false"));
        reference24 = TokenizerTestData.djl(json, Map.of("truncation", "true", "maxLength", "24", "padding", "false"));
        List<String> all = TokenizerTestData.udSentences();
        sentences = new ArrayList<>(all.subList(0, 600));
        sentences.addAll(TokenizerTestData.trickyStrings());
    }

    @AfterAll
    static void tearDown() {
        reference.close();
        reference24.close();
    }

    private static void assertSame(ai.djl.huggingface.tokenizers.Encoding expected, Encoding actual, String what) {
        assertEquals(List.of(expected.getTokens()), List.of(actual.tokens()), what);
        assertArrayEquals(TokenizerTestData.toInt(expected.getIds()), actual.ids(), what);
        assertArrayEquals(TokenizerTestData.toInt(expected.getTypeIds()), actual.typeIds(), what);
        assertArrayEquals(TokenizerTestData.toInt(expected.getAttentionMask()), actual.attentionMask(), what);
    }

    @Test
    void singleTextsMatchWithoutTruncation() {
        for (String s : sentences) assertSame(reference.encode(s), ours.encode(s), s);
    }

    @Test
    void pairsMatchWithoutTruncation() {
        for (int i = 0; i + 1 < sentences.size(); i += 2) {
            String a = sentences.get(i), b = sentences.get(i + 1);
            assertSame(reference.encode(a, b), ours.encode(a, b), a + " || " + b);
        }
    }

    @Test
    void truncationToMaxLengthMatches() {
        int truncated = 0;
        for (String s : sentences) {
            Encoding e = ours.encode(s, 24);
            assertSame(reference24.encode(s), e, s);
            if (ours.encode(s).length() > 24) truncated++;
        }
        for (int i = 0; i + 1 < sentences.size(); i += 2) {
            String a = sentences.get(i), b = sentences.get(i + 1);
            assertSame(reference24.encode(a, b), ours.encode(a, b, 24), a + " || " + b);
        }
        assertTrue(truncated > 50, "the test should truncate many sentences, did " + truncated);
    }

    /** The same vocabulary with other normalizer flags: cased, and accents stripped without lower-casing. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"false,false", "false,true", "true,false"})
    void otherNormalizerFlagsMatch(boolean lowercase, boolean stripAccents) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                TokenizerTestData.resourceToTempFile(WordPieceTokenizer.MINILM_RESOURCE).toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("normalizer"))
                .put("lowercase", lowercase).put("strip_accents", stripAccents);
        Path file = java.nio.file.Files.createTempFile("minilm-variant", ".json");
        file.toFile().deleteOnExit();
        mapper.writeValue(file.toFile(), root);
        WordPieceTokenizer variant = WordPieceTokenizer.fromFile(file);
        try (HuggingFaceTokenizer ref = TokenizerTestData.djl(file, Map.of("truncation", "false", "padding", "false"))) {
            for (String s : sentences) assertSame(ref.encode(s), variant.encode(s), s);
        }
    }

    @Test
    void batchIsTruncatedAndPaddedToMaxLen() {
        List<String> texts = sentences.subList(0, 40);
        BatchEncoding batch = ours.encodeBatch(texts, 24);
        assertEquals(40, batch.batchSize());
        assertEquals(24, batch.maxLen());
        for (int i = 0; i < texts.size(); i++) {
            int[] expectedIds = TokenizerTestData.toInt(reference24.encode(texts.get(i)).getIds());
            int n = expectedIds.length;
            for (int j = 0; j < 24; j++) {
                assertEquals(j < n ? expectedIds[j] : 0, batch.ids()[i][j], "ids row " + i + " col " + j);
                assertEquals(j < n ? 1 : 0, batch.attentionMask()[i][j], "mask row " + i + " col " + j);
                assertEquals(0, batch.typeIds()[i][j]);
            }
        }
        assertEquals(0, ours.padId());
        assertEquals(128, ours.defaultMaxLength());
    }
}
