package dev.orcaj.io.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tiny hand-written tokenizer.json files whose expected output is worked out by hand in the comments. */
class HandBuiltTokenizerTest {
    /** The BERT README example vocabulary, ids in order of listing. */
    private static final String BERT_JSON = """
            {"added_tokens":[{"id":0,"content":"[PAD]","normalized":false},{"id":1,"content":"[UNK]","normalized":false},
                             {"id":2,"content":"[CLS]","normalized":false},{"id":3,"content":"[SEP]","normalized":false}],
             "normalizer":{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true},
             "pre_tokenizer":{"type":"BertPreTokenizer"},
             "post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",2]},
             "model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":%d,
                      "vocab":{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"want":4,"##want":5,"##ed":6,"wa":7,"un":8,
                               "runn":9,"##ing":10,",":11,"a":12,"b":13,"c":14}}}""";

    private static WordPieceTokenizer bert(int maxChars) {
        byte[] json = BERT_JSON.formatted(maxChars).getBytes(StandardCharsets.UTF_8);
        return WordPieceTokenizer.fromStream(new ByteArrayInputStream(json), "bert-test.json");
    }

    @Test
    void wordPieceSplitsAsInTheBertReadme() {
        // "UNwant\u00E9d,running" -> lowercase + strip accents -> "unwanted,running" -> words "unwanted" "," "running"
        // -> longest prefix match: un ##want ##ed , runn ##ing
        Encoding e = bert(100).encode("UNwant\u00E9d,running");
        assertEquals(List.of("[CLS]", "un", "##want", "##ed", ",", "runn", "##ing", "[SEP]"), List.of(e.tokens()));
        assertArrayEquals(new int[] {2, 8, 5, 6, 11, 9, 10, 3}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0}, e.typeIds());
    }

    @Test
    void uncoverableOrTooLongWordsBecomeOneUnknown() {
        WordPieceTokenizer t = bert(5);
        // "wantx": "want" then "##x" not in vocab -> the whole word is [UNK] (not "want" + [UNK])
        assertEquals(List.of("[UNK]"), t.tokenize("wantx"));
        // "running" has 7 chars > 5 -> [UNK] without trying the vocabulary; "wa" is short enough
        assertEquals(List.of("[UNK]", "wa"), t.tokenize("running wa"));
        assertEquals(List.of("runn", "##ing"), bert(7).tokenize("running"));
    }

    @Test
    void pairsGetTypeIdsAndLongestFirstTruncation() {
        WordPieceTokenizer t = bert(100);
        // a = "a b c a b" (5 tokens), b = "c b a" (3); maxLength 8 leaves 8 - 3 specials = 5.
        // HF LongestFirst: shorter n1 = 3, n2 = max(3, 5 - 3) = 3; 3 + 3 > 5 so n1 = 5/2 = 2, n2 = 3; the longer
        // (a) keeps 3, the shorter (b) keeps 2: [CLS] a b c [SEP] c b [SEP]
        Encoding e = t.encode("a b c a b", "c b a", 8);
        assertArrayEquals(new int[] {2, 12, 13, 14, 3, 14, 13, 3}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1}, e.typeIds());
        // b fits in half of 7 - 3 = 4 -> b keeps all its 2 tokens (n2 = max(2, 4 - 2)): a keeps 2
        Encoding f = t.encode("a b c a b", "c b", 7);
        assertArrayEquals(new int[] {2, 12, 13, 3, 14, 13, 3}, f.ids());
        Encoding single = t.encode("a b c a b", 4);
        assertArrayEquals(new int[] {2, 12, 13, 3}, single.ids());
        assertThrows(IllegalArgumentException.class, () -> t.encode("a", "b", 2));
    }

    @Test
    void batchPadsWithPadIdAndZeroMask() {
        BatchEncoding b = bert(100).encodeBatch(List.of("a", "a b c a b"), 5);
        assertArrayEquals(new int[] {2, 12, 3, 0, 0}, b.ids()[0]);
        assertArrayEquals(new int[] {1, 1, 1, 0, 0}, b.attentionMask()[0]);
        assertArrayEquals(new int[] {2, 12, 13, 14, 3}, b.ids()[1]);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, b.attentionMask()[1]);
        assertArrayEquals(new long[] {2, 12, 3, 0, 0}, b.idsAsLong()[0]);
        assertEquals(10, b.flatIds().length);
    }

    @Test
    void badFilesNameTheField() {
        String noModel = "{\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"}}";
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromStream(new ByteArrayInputStream(noModel.getBytes(StandardCharsets.UTF_8)), "x.json"));
        assertTrue(e1.getMessage().contains("x.json") && e1.getMessage().contains("model"), e1.getMessage());
        String bpe = BERT_JSON.formatted(100).replace("\"type\":\"WordPiece\"", "\"type\":\"Unigram\"");
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromStream(new ByteArrayInputStream(bpe.getBytes(StandardCharsets.UTF_8)), "y.json"));
        assertTrue(e2.getMessage().contains("model.type") && e2.getMessage().contains("Unigram"), e2.getMessage());
    }

    /** Byte-level BPE whose merges are ranked so that the order of application matters. */
    private static ByteLevelBpeTokenizer bpe(String merges, String extraVocab) {
        String json = """
                {"added_tokens":[{"id":0,"content":"<s>"},{"id":1,"content":"</s>"}],
                 "normalizer":null,"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":true,"use_regex":true},
                 "post_processor":{"type":"RobertaProcessing","sep":["</s>",1],"cls":["<s>",0]},
                 "model":{"type":"BPE","unk_token":null,"merges":[%s],
                          "vocab":{"<s>":0,"</s>":1,"Ġ":2,"h":3,"e":4,"l":5,"o":6,"a":7%s}}}""".formatted(merges, extraVocab);
        return ByteLevelBpeTokenizer.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "bpe-test.json");
    }

    @Test
    void bpeAppliesLowestRankFirstNotLeftToRight() {
        // "hello" -> prefix space -> Ġ h e l l o. Ranks: 0 "l l", 1 "h e", 2 "Ġ he", 3 "ll o".
        // rank 0: Ġ h e ll o; rank 1: Ġ he ll o; rank 2: Ġhe ll o; rank 3: Ġhe llo. ("he ll" is no merge.)
        ByteLevelBpeTokenizer t = bpe("\"l l\",\"h e\",\"Ġ he\",\"ll o\"", ",\"ll\":8,\"he\":9,\"Ġhe\":10,\"llo\":11");
        Encoding e = t.encode("hello");
        assertEquals(List.of("<s>", "Ġhe", "llo", "</s>"), List.of(e.tokens()));
        assertArrayEquals(new int[] {0, 10, 11, 1}, e.ids());
        // pair: <s> A </s></s> B </s>, type ids all 0
        Encoding p = t.encode("hello", "he");
        assertEquals(List.of("<s>", "Ġhe", "llo", "</s>", "</s>", "Ġhe", "</s>"), List.of(p.tokens()));
        assertArrayEquals(new int[7], p.typeIds());
    }

    @Test
    void bpeReadsMergesInArrayForm() {
        ByteLevelBpeTokenizer t = bpe("[\"l\",\"l\"],[\"h\",\"e\"],[\"Ġ\",\"he\"],[\"ll\",\"o\"]",
                ",\"ll\":8,\"he\":9,\"Ġhe\":10,\"llo\":11");
        assertEquals(List.of("Ġhe", "llo"), t.tokenize("hello"));
        var e = assertThrows(IllegalArgumentException.class, () -> bpe("\"l o\"", ""));
        assertTrue(e.getMessage().contains("model.merges[0]"), e.getMessage());
    }

    @Test
    void bpeTiesGoToTheLeftmostPair() {
        // " aaaaa" -> Ġ a a a a a with only "a a": pairs at 1,2,3,4 all rank 0; leftmost first: (aa) then the pair at
        // old position 2 is stale, next valid is 3 -> Ġ aa aa a
        ByteLevelBpeTokenizer t = bpe("\"a a\"", ",\"aa\":8");
        assertEquals(List.of("Ġ", "aa", "aa", "a"), t.tokenize("aaaaa"));
    }

    @Test
    void byteLevelMapsBytesAndSplitsLikeGpt2() {
        assertEquals("Ġ", ByteLevel.mapBytes(" "));
        assertEquals("Ċ", ByteLevel.mapBytes("\n"));
        assertEquals("Ã©", ByteLevel.mapBytes("é")); // UTF-8 C3 A9, both printable Latin-1
        assertEquals("ðŁĺĢ", ByteLevel.mapBytes("😀")); // F0 9F 98 80: F0 -> ð, 9F -> Ł (U+0141), 98 -> ĺ, 80 -> Ģ
        char[] table = ByteLevel.bytesToUnicode();
        for (int b = 0; b < 256; b++) assertEquals(TinyBpeTrainer.byteChar(b), String.valueOf(table[b]), "byte " + b);
        // two spaces before "here": \s+(?!\S) keeps one for itself and leaves one to prefix the word
        assertEquals(List.of("I", "'m", "Ġ", "Ġhere"), new ByteLevel(false, true).preTokenize("I'm  here"));
        assertEquals(List.of("ĠI", "'m"), new ByteLevel(true, true).preTokenize("I'm"));
        // trailing " \n": \s+ takes both, and (?!\S) holds at the end of the text -> one piece
        assertEquals(List.of("Ġa", "!?", "Ġ123", "ĠĊ"), new ByteLevel(false, true).preTokenize(" a!? 123 \n"));
    }
}
