package dev.orcaj.cli;

import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.orca.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input gives one line "orca: ..." naming the file or flag and what was expected, exit code 2, a stack trace only with --verbose. */
class CliErrorsTest {
    @TempDir
    static Path dir;
    static Path body, model;
    static String data;

    @BeforeAll
    static void tinyModel() throws Exception {
        body = Cli.tinyBody(dir);
        data = Cli.tinyData(dir, 40, 24);
        model = Cli.finishedTinyRun(dir, body, data);
    }

    /** Exit code 2, exactly one "orca:" line on stderr containing every fragment, and no stack trace. */
    static void fails(Cli.Result r, String... fragments) {
        assertEquals(OrcaCli.ERROR, r.code(), r.all());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("orca: "), r.err());
        for (String f : fragments) assertTrue(first.contains(f), "'" + f + "' missing from: " + first);
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
    }

    @Test
    void unknownFlag() {
        Cli.Result r = Cli.orca("run", "--epochz", "3");
        fails(r, "Unknown option", "--epochz");
        assertTrue(r.err().contains("Try 'orca run --help'"), r.err());
    }

    @Test
    void badFlagValue() {
        fails(Cli.orca("finetune", "--data", data, "--epochs", "many", "--out", dir.resolve("x").toString()), "--epochs", "many");
        fails(Cli.orca("run", "--data", data, "--body", body.toString(), "--val-fraction", "1.5", "--out", dir.resolve("y").toString()), "--val-fraction must be in (0, 1)");
    }

    @Test
    void missingModelFile() {
        Path missing = dir.resolve("nope.safetensors");
        fails(Cli.orca("evaluate", "--model", missing.toString()), "file not found", missing.toString());
        fails(Cli.orca("predict", "--model", missing.toString(), "--inputs", "x.npy", "--out", "y.npy"), "file not found", missing.toString());
        fails(Cli.orca("info", missing.toString()), missing.toString());
    }

    @Test
    void missingDataFile() {
        Path missing = dir.resolve("absent.npy");
        fails(Cli.orca("evaluate", "--model", model.toString(), "--data", "npy:" + missing + "," + missing), "file not found", missing.toString());
    }

    @Test
    void corruptModelFile() throws Exception {
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        fails(Cli.orca("evaluate", "--model", corrupt.toString()), corrupt.toString(), "header length");
        Path truncated = dir.resolve("truncated.safetensors");
        byte[] full = Files.readAllBytes(model);
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
        fails(Cli.orca("predict", "--model", truncated.toString(), "--inputs", "x.npy", "--out", "y.npy"), truncated.toString());
    }

    @Test
    void bodyCheckpointIsNotAModel() {
        fails(Cli.orca("evaluate", "--model", body.toString()), body.toString(), "not an ORCA-J model", "pass it as --body");
    }

    @Test
    void inputsOfTheWrongShape() throws Exception {
        Path x = dir.resolve("wrong.npy");
        Npy.write(x, NdArray.ofFloats(new float[3 * 30], 3, 1, 30));
        fails(Cli.orca("predict", "--model", model.toString(), "--inputs", x.toString(), "--out", dir.resolve("p.npy").toString()),
                "--inputs " + x, "expected rows [N, 1, 24]", "got [3, 1, 30]");
        assertFalse(Files.exists(dir.resolve("p.npy")));
        Path notNpy = dir.resolve("text.npy");
        Files.writeString(notNpy, "1,2,3\n");
        fails(Cli.orca("predict", "--model", model.toString(), "--inputs", notNpy.toString(), "--out", dir.resolve("p.npy").toString()), notNpy.toString(), "not a .npy file");
    }

    @Test
    void dataOfAnotherTask() throws Exception {
        Path x = dir.resolve("x3.npy"), y = dir.resolve("y3.npy");
        Npy.write(x, NdArray.ofFloats(new float[30 * 24], 30, 24));
        int[] labels = new int[30];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 3;
        Npy.write(y, NdArray.ofInts(labels, 30));
        String other = "npy:" + x + "," + y;
        fails(Cli.orca("evaluate", "--model", model.toString(), "--data", other), model.toString(), "was built for task", "CLASSES(2)", "CLASSES(3)");
        fails(Cli.orca("finetune", "--model", model.toString(), "--data", other, "--out", dir.resolve("f").toString()), "was built for task");
    }

    /** Another length of the same kind of input is zero-shot resolution transfer (paper Table 16), not an error. */
    @Test
    void anotherResolutionOfTheSameTaskIsEvaluated() throws Exception {
        Cli.Result r = Cli.orca("evaluate", "--model", model.toString(), "--data", Cli.tinyData(dir, 40, 32));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("\"accuracy\""), r.out());
    }

    @Test
    void resumeErrors() {
        fails(Cli.orca("run", "--resume", dir.resolve("no-run").toString()), "file not found", "run.json", "--out directory of an earlier 'orca run'");
        fails(Cli.orca("run", "--resume", model.getParent().getParent().toString(), "--epochs", "9"), "--epochs cannot be combined with --resume");
    }

    @Test
    void checkpointWrittenUnderOtherSettings() throws Exception {
        Path run = model.getParent().getParent(), edited = dir.resolve("edited");
        Files.createDirectories(edited.resolve("checkpoints"));
        Files.copy(run.resolve(CliSettings.RUN_FILE), edited.resolve(CliSettings.RUN_FILE));
        Checkpoint.Loaded saved = Checkpoint.read(model);
        var settings = new java.util.HashMap<>(saved.settings());
        settings.put("--lr", "0.5");
        Path checkpoint = edited.resolve("checkpoints/finetune-seed0.safetensors");
        Checkpoint.write(checkpoint, saved.model(), Checkpoint.State.refineStart(null), java.util.Map.of(), java.util.Map.of(), settings);
        fails(Cli.orca("run", "--resume", edited.toString()), checkpoint.toString(), "was written with --lr 0.5, but the run now has 1.0E-4");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.orca("evaluate", "--model", dir.resolve("nope.safetensors").toString(), "--verbose");
        assertEquals(OrcaCli.ERROR, r.code());
        assertTrue(r.err().startsWith("orca: file not found"), r.err());
        assertTrue(r.err().contains("\tat "), "stack trace with --verbose: " + r.err());
    }
}
