package dev.orcaj.cli;

import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The --out directory of 'orca run': one owner at a time, stale leftovers removed, nothing left by a run that produced nothing, no stale result trusted. */
class RunDirectoryTest {
    @TempDir
    static Path tmp;
    static Path body, finished;
    static String data;

    static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--data", data, "--body", body.toString(), "--methods", "finetune", "--epochs", "1", "--batch-size", "16",
                "--threads", "2", "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    @BeforeAll
    static void finishedRun() throws Exception {
        body = Cli.tinyBody(tmp);
        data = Cli.tinyData(tmp, 40, 24);
        finished = tmp.resolve("finished");
        Cli.Result r = Cli.orca(args(finished).toArray(String[]::new));
        assertEquals(0, r.code(), r.all());
    }

    static Path copyOfFinished(String name) throws Exception {
        Path to = tmp.resolve(name);
        try (var files = Files.walk(finished)) {
            for (Path p : files.toList()) {
                Path q = to.resolve(finished.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
        return to;
    }

    @Test
    void secondRunBesideALiveOneFailsNamingTheLockAndTheOwner() throws Exception {
        Path dir = copyOfFinished("locked");
        try (RunDirectory owner = RunDirectory.open(dir)) {
            Cli.Result r = Cli.orca("run", "--resume", dir.toString());
            CliErrorsTest.fails(r, dir + " is in use by another orca run", "pid " + ProcessHandle.current().pid(), dir.resolve(RunDirectory.LOCK_FILE).toString());
            CliErrorsTest.fails(Cli.orca(args(dir).toArray(String[]::new)), "is in use by another orca run");
        }
        assertEquals(0, Cli.orca("run", "--resume", dir.toString()).code(), "free again once the owner has closed it");
    }

    @Test
    void lockLeftByADeadProcessIsTakenOverAndStaleTemporariesAreRemoved() throws Exception {
        Path dir = copyOfFinished("stale");
        Files.writeString(dir.resolve(RunDirectory.LOCK_FILE), "pid 2147483646"); // no OS lock held on it: its owner is gone
        Files.createDirectories(dir.resolve("checkpoints"));
        Path partial = Files.write(dir.resolve("checkpoints").resolve(".finetune-seed0.safetensors.123456.tmp"), new byte[4096]);
        Cli.Result r = Cli.orca("run", "--resume", dir.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("taking over " + dir.resolve(RunDirectory.LOCK_FILE) + " left by pid 2147483646"), r.out());
        assertFalse(Files.exists(partial), "the partial write of a killed run is removed");
        assertTrue(r.out().contains("removed " + partial), r.out());
    }

    @Test
    void runThatFailsBeforeTrainingLeavesNoDirectory() {
        Path dir = tmp.resolve("never-trained");
        // patch k = 1 makes 24 tokens, more than the tiny body's 16 positions: stage 1 fails, after the run directory was set up
        Cli.Result r = Cli.orca(args(dir, "--patch", "1").toArray(String[]::new));
        assertEquals(OrcaCli.ERROR, r.code(), r.all());
        assertFalse(Files.exists(dir), "nothing useful was produced, so nothing may be left: " + r.all());
    }

    @Test
    void resumeIgnoresAFinishedModelWrittenUnderOtherSettings() throws Exception {
        // a finished lr 1e-4 run copied to X, then a new run with --lr 0.001 started in X and killed before its first checkpoint
        Path dir = copyOfFinished("reused");
        Path runFile = dir.resolve(CliSettings.RUN_FILE);
        Files.writeString(runFile, Files.readString(runFile).replace("\"--lr\" : \"1.0E-4\"", "\"--lr\" : \"0.001\""));
        assertTrue(Files.readString(runFile).contains("0.001"), Files.readString(runFile));
        Path model = dir.resolve("models/finetune-seed0.safetensors");
        Cli.Result r = Cli.orca("run", "--resume", dir.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("ignoring " + model + ": was written with --lr 1.0E-4, but the run now has 0.001"), r.out());
        assertFalse(r.out().contains("finished before the interruption"), r.out());
        assertEquals("0.001", Checkpoint.read(model).settings().get("--lr"), "the model of this run's settings replaced the stale one");
    }
}
