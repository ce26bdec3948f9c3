package dev.orcaj.cli;

import dev.orcaj.orca.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The two-step ORCA workflow through the CLI with the built-in MiniLM (the only body with a source proxy here):
 * {@code align} saves the aligned model, {@code finetune --model} refines it, {@code evaluate} scores the result.
 * Small budgets: a few seconds.
 */
class AlignThenFinetuneTest {
    @TempDir
    Path dir;

    @Test
    void alignFinetuneEvaluate() throws Exception {
        String data = Cli.tinyData(dir, 40, 24);
        Path aligned = dir.resolve("aligned.safetensors"), refined = dir.resolve("refined");
        Cli.Result a = Cli.orca("align", "--data", data, "--align-epochs", "2", "--max-samples", "8", "--source-classes", "3", "--source-samples", "60",
                "--cache-dir", dir.resolve("cache").toString(), "--threads", "2", "--out", aligned.toString());
        assertEquals(0, a.code(), a.all());
        Checkpoint.Loaded saved = Checkpoint.read(aligned);
        assertEquals(Checkpoint.Stage.REFINE, saved.state().stage());
        assertEquals(3, saved.state().alignResult().curve().length, "2 epochs plus the final evaluation");
        assertTrue(Cli.orca("info", aligned.toString()).out().contains("ready for stage 3 (aligned"));

        Cli.Result f = Cli.orca("finetune", "--data", data, "--model", aligned.toString(), "--epochs", "1", "--batch-size", "16", "--threads", "2", "--out", refined.toString());
        assertEquals(0, f.code(), f.all());
        Checkpoint.Loaded done = Checkpoint.read(refined.resolve("model.safetensors"));
        assertEquals(Checkpoint.Stage.DONE, done.state().stage());
        assertEquals("ORCA", done.state().outcome().method().name(), "an aligned model refined is the ORCA method");
        assertArrayEquals(saved.state().alignResult().curve(), done.state().outcome().align().curve(), "the stage-2 record travels with the model");

        Cli.Result e = Cli.orca("evaluate", "--model", refined.resolve("model.safetensors").toString());
        assertEquals(0, e.code(), e.all());
        assertTrue(e.out().contains("\"accuracy\""), e.out());

        Cli.Result i = Cli.orca("info", "--minilm");
        assertEquals(0, i.code(), i.all());
        assertTrue(i.out().contains("bert, 6 layers, 12 heads") && i.out().contains("hidden size: 384") && i.out().contains("sequence limit: 512 tokens"), i.out());
    }
}
