package dev.orcaj.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --tokenizer FILE}: the tokenizer of a text body's source proxy when the body has none beside it. The tiny
 * random BERT body is a converted .safetensors file, so without the flag the text source proxy cannot be built; with
 * the flag the named file is what is read (a broken one is named in the error) and the run completes.
 */
class TokenizerFlagTest {
    @TempDir Path dir;

    private Cli.Result align(String out, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("align", "--data", Cli.tinyData(dir, 24, 24), "--body", Cli.tinyBody(dir).toString(),
                "--align-epochs", "1", "--max-samples", "8", "--source-classes", "2", "--source-samples", "20", "--source-seq", "16",
                "--cache-dir", dir.resolve("cache").toString(), "--threads", "2", "--out", dir.resolve(out).toString()));
        args.addAll(List.of(extra));
        return Cli.orca(args.toArray(String[]::new));
    }

    @Test
    void tokenizerFlagIsReadForATextBodyWithoutOne() throws Exception {
        Cli.Result none = align("none.safetensors");
        assertEquals(2, none.code(), none.all());
        assertTrue(none.err().contains("tokenizer.json") && none.err().contains("--tokenizer"), none.err());

        Path broken = Files.writeString(dir.resolve("broken-tokenizer.json"), "{\"model\": ");
        Cli.Result bad = align("bad.safetensors", "--tokenizer", broken.toString());
        assertEquals(2, bad.code(), bad.all());
        assertTrue(bad.err().contains("broken-tokenizer.json"), "the --tokenizer file is the one read: " + bad.err());

        // a small valid WordPiece tokenizer.json (ids below the tiny body's vocabulary of 16): the fuzz tests' seed
        Path wordpiece = Path.of(getClass().getResource("/dev/orcaj/fuzz/TokenizerFuzzTestInputs/fuzz/wordpiece.json").toURI());
        Cli.Result ok = align("ok.safetensors", "--tokenizer", wordpiece.toString());
        assertEquals(0, ok.code(), ok.all());
        assertTrue(Files.isRegularFile(dir.resolve("ok.safetensors")));
    }
}
