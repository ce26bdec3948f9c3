package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code orca suite} end to end on the tiny task and body: runs, raw JSON, resume, aggregation, a bad suite file. */
class SuiteCommandTest {
    @TempDir Path dir;

    private Path suite(String extraCommon) throws IOException {
        Path body = Cli.tinyBody(dir);
        String data = Cli.tinyData(dir, 40, 24);
        Path f = dir.resolve("tiny.yaml");
        Files.writeString(f, """
                name: tiny
                results: %s
                methods: [finetune, scratch]
                seeds: 2
                common: {body: %s, epochs: 1, batch-size: 8, threads: 1%s}
                tasks:
                  - name: tiny
                    data: %s
                """.formatted(dir.resolve("raw"), body, extraCommon, data));
        return f;
    }

    /** A suite of the tiny task whose methods are first searched (2 trials, rungs of 1 and 2 epochs). */
    private Path tunedSuite(String file, String results, String methods, int seeds, int threads) throws IOException {
        Path f = dir.resolve(file + ".yaml");
        Files.writeString(f, """
                name: tuned
                results: %s
                methods: [%s]
                seeds: %d
                common: {body: %s, batch-size: 8, threads: %d}
                tasks:
                  - name: tiny
                    data: %s
                tune: {trials: 2, min-epochs: 1, max-epochs: 2, eta: 2, space: "lr=1e-3,3e-3;batch_size=8"}
                """.formatted(dir.resolve(results), methods, seeds, Cli.tinyBody(dir), threads, Cli.tinyData(dir, 40, 24)));
        return f;
    }

    @Test
    void runsEveryCellOnceResumesAndAggregates() throws IOException {
        Path f = suite("");
        Cli.Result first = Cli.orca("suite", f.toString());
        assertEquals(0, first.code(), first.all());
        assertTrue(first.out().contains("suite tiny: 4 runs, 0 finished earlier"), first.out());
        assertTrue(first.out().contains("[4/4] tiny/scratch/seed1: test accuracy"), first.out());
        Path raw = dir.resolve("raw/tiny");
        JsonNode j = new ObjectMapper().readTree(raw.resolve("finetune-seed1.json").toFile());
        assertEquals("finetune", j.get("method").asText());
        assertEquals(1, j.get("seed").asInt());
        assertEquals("accuracy", j.get("metric").asText());
        double acc = j.get("test").get("accuracy").asDouble();
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        assertEquals(1, j.get("settings").get("epochs").asInt());
        assertEquals(1, j.get("validation_curve").size());
        assertEquals(1, j.get("best_epoch").asInt());
        assertEquals("accuracy", j.get("select_metric").asText());
        for (String ref : new String[] {"trivial", "linear"}) {
            double v = j.get("reference").get(ref).get("accuracy").asDouble(-1);
            assertTrue(v >= 0 && v <= 1, ref + " baseline's test accuracy in the raw run: " + j.get("reference"));
        }
        assertFalse(Files.exists(dir.resolve("raw/.work/tiny/finetune-seed1")), "the scratch run directory is removed after the run");

        // resume: only the missing run is recomputed, the others stay byte for byte
        byte[] kept = Files.readAllBytes(raw.resolve("scratch-seed0.json"));
        Files.delete(raw.resolve("finetune-seed1.json"));
        Cli.Result again = Cli.orca("suite", f.toString());
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("suite tiny: 4 runs, 3 finished earlier"), again.out());
        assertTrue(again.out().contains("[1/1] tiny/finetune/seed1: running"), again.out());
        assertArrayEquals(kept, Files.readAllBytes(raw.resolve("scratch-seed0.json")));
        assertTrue(Files.exists(raw.resolve("finetune-seed1.json")));

        Path md = dir.resolve("out/RESULTS.md");
        Cli.Result agg = Cli.orca("suite", "--aggregate", f.toString(), "--out", md.toString());
        assertEquals(0, agg.code(), agg.all());
        String page = Files.readString(md);
        assertTrue(page.contains("| tiny | accuracy ↑ |"), page);
        assertTrue(page.contains("from the 4 raw run files"), page);
        assertTrue(page.contains("The suite has no task with both orca and finetune runs."), page);
        assertTrue(page.contains("| task | metric | trivial | linear | finetune | scratch | best |"), page);
        assertTrue(Files.readString(dir.resolve("out/RESULTS.html")).contains("<td>tiny</td>"));
    }

    @Test
    void aTunedSuiteRunsTheBestConfigurationOfItsSearch() throws IOException {
        Path f = tunedSuite("tuned", "raw", "finetune", 1, 1);
        Cli.Result r = Cli.orca("suite", f.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("tuning task tiny: orca tune --data"), r.out());
        ObjectMapper json = new ObjectMapper();
        JsonNode best = json.readTree(dir.resolve("raw/.work/tune/tiny/tune.json").toFile()).get("methods").get(0);
        JsonNode raw = json.readTree(dir.resolve("raw/tiny/finetune-seed0.json").toFile());
        assertEquals(2, raw.get("settings").get("epochs").asInt(), "every seed trains the top rung's epochs");
        assertEquals(Double.parseDouble(best.get("flags").get("--lr").asText()), raw.get("settings").get("lr").asDouble(), 0, "the search's best lr: " + best);
    }

    /**
     * --parallel: the searches first, then two runs at a time in child JVMs with one thread each; the raw numbers are
     * those of the serial suite with the suite file's 2 threads (thread counts do not change results).
     */
    @Test
    void aParallelSuiteWritesTheSerialSuitesNumbers() throws IOException {
        Path serial = tunedSuite("serial", "serial", "finetune, scratch", 2, 2), parallel = tunedSuite("parallel", "parallel", "finetune, scratch", 2, 2);
        Cli.Result s = Cli.orca("suite", serial.toString()); // the suite file's 2 threads
        assertEquals(0, s.code(), s.all());
        Cli.Result p = Cli.orca("suite", parallel.toString(), "--parallel", "2", "--threads-per-run", "1");
        assertEquals(0, p.code(), p.all());
        assertTrue(p.out().contains("suite tuned: 4 runs, 0 finished earlier (raw JSON in " + dir.resolve("parallel") + "), 4 to run, 2 at a time"), p.out());
        assertTrue(p.out().contains("tuning task tiny: orca tune") && p.out().contains("--parallel 2 --threads-per-trial 1"), p.out());
        ObjectMapper json = new ObjectMapper();
        for (String run : new String[] {"finetune-seed0", "finetune-seed1", "scratch-seed0", "scratch-seed1"}) {
            JsonNode a = json.readTree(dir.resolve("serial/tiny/" + run + ".json").toFile()), b = json.readTree(dir.resolve("parallel/tiny/" + run + ".json").toFile());
            for (String field : new String[] {"test", "validation", "validation_curve", "best_epoch", "reference"}) {
                assertEquals(a.get(field), b.get(field), run + ": " + field);
            }
            assertEquals(a.get("settings").get("lr"), b.get("settings").get("lr"), run + ": the same searched lr");
        }
        assertFalse(Files.exists(dir.resolve("parallel/.work/tiny/finetune-seed0.log")), "a finished run's log is removed");
    }

    /** A run that fails in its JVM is reported with the child's error and its log; the other runs go on. */
    @Test
    void aParallelRunThatFailsNamesItsErrorAndLog() throws IOException {
        Path f = suite("");
        Files.writeString(f, Files.readString(f) + "  - name: gone\n    data: npy:" + dir.resolve("missing.npy") + "," + dir.resolve("missing-y.npy") + "\n");
        Cli.Result p = Cli.orca("suite", f.toString(), "--parallel", "2");
        assertEquals(OrcaCli.ERROR, p.code(), p.all());
        assertTrue(p.out().contains("gone/finetune/seed0: FAILED (the run's JVM exited with code 2: orca: ") && p.out().contains("missing.npy"), p.out());
        assertTrue(p.out().contains("(log: " + dir.resolve("raw/.work/gone/finetune-seed0.log")), p.out());
        assertTrue(Files.isRegularFile(dir.resolve("raw/tiny/scratch-seed1.json")), "the other task's runs finished");
        assertTrue(p.out().contains("suite tiny: 4 runs done, 0 finished earlier, 4 failed"), p.out());
    }

    @Test
    void aBadFlagFailsBeforeAnythingRuns() throws IOException {
        Path f = suite(", epoch: 3");
        Cli.Result r = Cli.orca("suite", f.toString());
        assertEquals(OrcaCli.ERROR, r.code());
        assertTrue(r.err().contains(f + ": task tiny: its orca run flags do not parse"), r.err());
        assertTrue(r.err().contains("--epoch"), r.err());
        assertFalse(Files.exists(dir.resolve("raw")));
        Cli.Result threads = Cli.orca("suite", suite("").toString(), "--threads-per-run", "1000");
        assertEquals(OrcaCli.ERROR, threads.code());
        assertTrue(threads.err().contains("--threads-per-run must be in 0.."), threads.err());
        Cli.Result parallel = Cli.orca("suite", suite("").toString(), "--parallel", "0");
        assertTrue(parallel.err().contains("--parallel must be >= 1, got 0"), parallel.err());
        assertFalse(Files.exists(dir.resolve("raw")), "nothing runs after a bad flag");
    }
}
