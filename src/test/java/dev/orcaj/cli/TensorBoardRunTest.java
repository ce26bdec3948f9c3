package dev.orcaj.cli;

import dev.orcaj.io.tensorboard.EventFileReader;
import dev.orcaj.orca.RunDirectory;
import dev.orcaj.orca.TensorBoardLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code orca run} writes TensorBoard event files for every method and seed; a run that fails at once leaves none. */
class TensorBoardRunTest {
    @TempDir Path tmp;

    @Test
    void everyMethodAndSeedGetsItsEventFile() throws Exception {
        Path body = Cli.tinyBody(tmp);
        String data = Cli.tinyData(tmp, 48, 24);
        Path run = tmp.resolve("run");
        Cli.Result r = Cli.orca("run", "--data", data, "--body", body.toString(), "--methods", "finetune,scratch", "--seeds", "2", "--epochs", "2",
                "--batch-size", "16", "--threads", "2", "--out", run.toString());
        assertEquals(0, r.code(), r.all());
        for (String name : List.of("finetune-seed0", "finetune-seed1", "scratch-seed0", "scratch-seed1")) {
            Path dir = run.resolve("tb").resolve(name);
            List<Path> files;
            try (var s = Files.list(dir)) {
                files = s.toList();
            }
            assertEquals(1, files.size(), name + ": " + files);
            List<EventFileReader.Scalar> scalars = EventFileReader.read(files.get(0));
            long epochs = scalars.stream().filter(x -> x.tag().equals("train/epoch_loss")).count();
            assertEquals(2, epochs, name);
            assertTrue(scalars.stream().anyMatch(x -> x.tag().equals("time/refine_seconds")), name);
            assertTrue(scalars.stream().anyMatch(x -> x.tag().startsWith("validation/")), name);
        }
    }

    @Test
    void aRunThatFailsBeforeProducingAnythingLeavesNoEventFiles() throws Exception {
        Path run = tmp.resolve("failed-run");
        try (RunDirectory owned = RunDirectory.open(run)) {
            try (TensorBoardLog log = TensorBoardLog.open(run, "orca-seed0", System.err)) {
                log.trainStep(1, 1, 0.5, 1e-3); // the run got as far as one step, then failed before any checkpoint
            }
            owned.discardIfNothingUseful(true);
        }
        assertFalse(Files.exists(run), "left behind: " + (Files.exists(run) ? String.join(",", Files.list(run).map(Path::toString).toList()) : ""));
    }
}
