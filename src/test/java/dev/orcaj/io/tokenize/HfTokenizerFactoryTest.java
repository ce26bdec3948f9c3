package dev.orcaj.io.tokenize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HfTokenizer#fromFile} picks the implementation from tokenizer.json's model.type. */
class HfTokenizerFactoryTest {
    @TempDir Path tmp;

    @Test
    void wordPieceFileGivesTheSameIdsAsTheBuiltInMiniLm() throws Exception {
        Path json = tmp.resolve("tokenizer.json");
        try (InputStream in = WordPieceTokenizer.class.getClassLoader().getResourceAsStream(WordPieceTokenizer.MINILM_RESOURCE)) {
            Files.copy(in, json);
        }
        HfTokenizer t = HfTokenizer.fromFile(json);
        assertInstanceOf(WordPieceTokenizer.class, t);
        assertArrayEquals(WordPieceTokenizer.miniLm().encode("Cross-modal fine-tuning!").ids(), t.encode("Cross-modal fine-tuning!").ids());
    }

    @Test
    void unknownModelTypeIsNamed() throws Exception {
        Path json = tmp.resolve("bad.json");
        Files.writeString(json, "{\"model\": {\"type\": \"Unigram\"}}");
        var e = assertThrows(IllegalArgumentException.class, () -> HfTokenizer.fromFile(json));
        assertTrue(e.getMessage().contains("model.type") && e.getMessage().contains("Unigram"), e.getMessage());
    }
}
