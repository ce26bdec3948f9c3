package dev.orcaj.io.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.orcaj.data.text.WordNetGlosses;
import dev.orcaj.io.onnx.OnnxBertArtifact;
import dev.orcaj.io.onnx.PretrainedBert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tokenizers of bge-small-en-v1.5 and e5-small-v2 (read from their artifacts through {@link OnnxBertArtifact}, as
 * the source proxy reads them) give the ids, type ids and tokens of HF tokenizers (Rust, through DJL) on UD sentences,
 * tricky strings and the WordNet glosses the source proxy embeds.
 */
class PretrainedTokenizerDjlParityTest {

    @ParameterizedTest
    @EnumSource(value = PretrainedBert.class, names = {"BGE_SMALL", "E5_SMALL"})
    void idsMatchHfTokenizers(PretrainedBert which) throws Exception {
        HfTokenizer ours = OnnxBertArtifact.classpath(which).tokenizer();
        List<String> texts = new ArrayList<>(TokenizerTestData.udSentences().subList(0, 300));
        texts.addAll(TokenizerTestData.trickyStrings());
        texts.addAll(WordNetGlosses.fromClasspath().labelledSet(10, 300, 0).texts());
        try (HuggingFaceTokenizer reference = TokenizerTestData.djl(TokenizerTestData.resourceToTempFile(which.tokenizerResource()),
                Map.of("truncation", "false", "padding", "false"))) {
            for (String s : texts) {
                var expected = reference.encode(s);
                Encoding actual = ours.encode(s);
                assertEquals(List.of(expected.getTokens()), List.of(actual.tokens()), which.flag + ": " + s);
                assertArrayEquals(TokenizerTestData.toInt(expected.getIds()), actual.ids(), which.flag + ": " + s);
                assertArrayEquals(TokenizerTestData.toInt(expected.getTypeIds()), actual.typeIds(), which.flag + ": " + s);
            }
        }
    }
}
