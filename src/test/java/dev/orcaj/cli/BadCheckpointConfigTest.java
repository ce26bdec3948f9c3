package dev.orcaj.cli;

import dev.orcaj.orca.TinyTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.orcaj.cli.CliErrorsTest.fails;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 11 items 4 and 5: a config.json that does not fit its weights (num_hidden_layers 1e6 next to a 2-layer
 * checkpoint) used to allocate a million layers, or in convert run 45 s and print an 894 MB line. Now it is one short
 * line, found before anything is allocated from the config.
 */
class BadCheckpointConfigTest {
    @TempDir
    static Path dir;
    static Path weights;

    @BeforeAll
    static void tinyWeights() throws Exception {
        weights = Cli.tinyBody(dir);
    }

    /** An HF checkpoint directory: the tiny body's weights with TinyTask.CONFIG's JSON, {@code field} set to {@code value}. */
    static Path hfDir(String name, String field, int value) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Files.copy(weights, d.resolve("model.safetensors"));
        String json = TinyTask.CONFIG.toJson().replaceFirst("\"" + field + "\" : \\d+", "\"" + field + "\" : " + value);
        assertTrue(json.contains("\"" + field + "\" : " + value), json);
        Files.writeString(d.resolve("config.json"), json);
        return d;
    }

    @Test
    void convertWithAMillionConfiguredLayersFailsFastWithAShortLine() throws Exception {
        Path hf = hfDir("million", "num_hidden_layers", 1_000_000);
        long t0 = System.nanoTime();
        Cli.Result r = Cli.orca("convert", "--from-hf", hf.toString(), "--out", dir.resolve("out.safetensors").toString());
        double seconds = (System.nanoTime() - t0) * 1e-9;
        fails(r, hf.toString(), "num_hidden_layers 1000000", "holds 2 layers (encoder.layer.0 .. encoder.layer.1)");
        assertTrue(r.err().length() < 500, "bounded message, got " + r.err().length() + " chars");
        assertTrue(seconds < 10, "validated before the million layers' names are listed: took " + seconds + " s");
    }

    @Test
    void bodyWithAMillionConfiguredLayersIsRefusedBeforeTheModelIsAllocated() throws Exception {
        Path hf = hfDir("million-body", "num_hidden_layers", 1_000_000);
        fails(Cli.orca("run", "--data", Cli.tinyData(dir, 40, 24), "--body", hf.toString(), "--methods", "finetune", "--epochs", "1", "--threads", "1",
                "--out", dir.resolve("run").toString()), "num_hidden_layers 1000000", "holds 2 layers");
        fails(Cli.orca("features", "--checkpoint", hf.toString(), "--input-ids", "ids.npy", "--out", dir.resolve("f").toString()), "num_hidden_layers 1000000");
    }

    @Test
    void manyShapeMismatchesAreListedBriefly() throws Exception {
        Path hf = hfDir("wide", "intermediate_size", 48); // every layer's two feed-forward matrices and one bias mismatch
        Cli.Result r = Cli.orca("convert", "--from-hf", hf.toString(), "--out", dir.resolve("wide.safetensors").toString());
        fails(r, "does not match its bert config", "... and 1 more");
    }
}
