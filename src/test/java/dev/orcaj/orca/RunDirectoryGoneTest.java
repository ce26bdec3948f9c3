package dev.orcaj.orca;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A run whose directory is deleted mid-run ('rm -rf OUT') stops at its next checkpoint instead of silently recreating it. */
class RunDirectoryGoneTest {
    @TempDir
    Path tmp;

    @Test
    void deletedRunFileStopsTheRunAtTheNextCheckpoint() throws Exception {
        Path runFile = Files.writeString(tmp.resolve("run.json"), "{}");
        Path checkpoint = tmp.resolve("checkpoints/c.safetensors"), model = tmp.resolve("models/m.safetensors");
        Progress deleting = new Progress(null) {
            @Override
            public void step(int epoch, int epochs, int done, int total, String metricName, double value) {
                try {
                    Files.deleteIfExists(runFile); // as 'rm -rf' of the directory would
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        OrcaRun.Settings s = ResumeTest.settings(OrcaRun.Method.FINETUNE, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ResumeTest.run(s, deleting, new Checkpointer(checkpoint, model, 1, Map.of(), runFile), null));
        assertTrue(e.getMessage().startsWith(runFile + " has disappeared"), e.getMessage());
        assertFalse(Files.exists(model), "no model is written into the vanished directory");
    }
}
