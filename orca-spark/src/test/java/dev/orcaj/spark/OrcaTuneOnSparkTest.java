package dev.orcaj.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.cli.Main;
import dev.orcaj.cli.OrcaCli;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.NdArray;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.tune.RungInputs;
import dev.orcaj.tune.TrialStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code orca tune --executor spark} end to end: the tune helper's ASHA search and SQLite trial store on the driver,
 * its real-engine runner on an embedded {@code local[2]} Spark (found through META-INF/services), compared with the
 * same search on the local executor (child JVMs), run once for both tests. With the default simulated-clock order the
 * decisions depend only on the scores, so both must record the same rungs with the same scores and choose the same
 * trial, also when the Spark driver is killed mid-search and the search is resumed from its trial store.
 */
class OrcaTuneOnSparkTest {
    static final String[] SEARCH = {"--methods", "finetune", "--trials", "4", "--min-epochs", "1", "--max-epochs", "2", "--eta", "2",
            "--parallel", "2", "--threads-per-trial", "1", "--space", "lr=1e-2,1e-3,1e-4;batch_size=8,16"};
    static final String[] ON_SPARK = {"--executor", "spark", "--executor-option", "master=local[2]"};

    @TempDir
    static Path dir;
    static Path body, local;
    static String data;

    /** The reference: the same search on the local executor. */
    @BeforeAll
    static void localSearch() throws Exception {
        body = tinyBody(dir);
        data = UcrTrialRunner.italyPowerDemand();
        local = dir.resolve("local");
        tune(data, body, local, SEARCH);
    }

    @Test
    void tuneOnSparkChoosesAsTheLocalExecutorWithTheSameRecordedRungs() throws Exception {
        Path spark = dir.resolve("spark");
        int taskReads = RungInputs.taskReads(), bodyReads = RungInputs.bodyReads();
        String out = tune(data, body, spark, SEARCH, ON_SPARK);
        assertTrue(out.contains("best finetune: "), out);
        // local[2]'s executors are this JVM: its 6 rungs read the task and the body at most once (none when the
        // other test's search already left them in RungInputs)
        assertTrue(RungInputs.taskReads() - taskReads <= 1, "task reads for 6 rungs: " + (RungInputs.taskReads() - taskReads));
        assertTrue(RungInputs.bodyReads() - bodyReads <= 1, "body reads for 6 rungs: " + (RungInputs.bodyReads() - bodyReads));
        assertEquals(best(local), best(spark));
        Map<String, Double> rungsLocal = scores(local), rungsSpark = scores(spark);
        assertEquals(4 + 2, rungsSpark.size(), "4 trials at rung 0, the best 2 promoted: " + rungsSpark);
        assertEquals(rungsLocal, rungsSpark);
    }

    /**
     * The driver (a child JVM running {@code orca tune --executor spark}, its local[2] executors inside it) is
     * SIGKILLed while a rung trains and after another finished; {@code orca tune --resume} (on Spark again, the saved
     * executor) finishes the search: the finished rungs are not run again, the cut ones once more, and the scores and
     * the chosen trial are the local executor's.
     */
    @Test
    void driverKilledMidSearchResumesFromTheTrialStore() throws Exception {
        Path killed = dir.resolve("killed"), log = dir.resolve("killed.txt");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // Spark's --add-opens, the vector module, -Xmx
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args(data, body, killed, SEARCH, ON_SPARK));
        Process driver = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Map<String, TrialStore.Rung> atKill;
        try {
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (true) {
                assertTrue(driver.isAlive(), "the search ended before it was killed: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no rung finished in 300 s: " + Files.readString(log));
                if (Files.exists(killed.resolve("finetune").resolve(TrialStore.FILE))) {
                    Map<String, TrialStore.Rung> now = rungs(killed);
                    // a rung started after another finished has a whole rung of training ahead (seconds): the kill cuts it
                    Instant firstDone = now.values().stream().filter(r -> r.status() == TrialStore.Status.DONE)
                            .map(r -> Instant.parse(r.finishedAt())).min(Instant::compareTo).orElse(null);
                    if (firstDone != null && now.values().stream().anyMatch(r -> r.status() == TrialStore.Status.RUNNING
                            && Instant.parse(r.startedAt()).isAfter(firstDone))) break;
                }
                Thread.sleep(50);
            }
            driver.destroyForcibly(); // SIGKILL: the driver and its executors get no chance to clean up
            assertTrue(driver.waitFor(20, TimeUnit.SECONDS));
        } finally {
            driver.destroyForcibly();
        }
        atKill = rungs(killed);
        Set<String> done = new TreeSet<>(), cut = new TreeSet<>();
        atKill.forEach((k, r) -> (r.status() == TrialStore.Status.DONE ? done : cut).add(k));
        assertFalse(done.isEmpty() || cut.isEmpty(), "killed with finished and unfinished rungs: " + atKill);
        assertTrue(done.size() < 6, "the kill came before the search's end: " + atKill);
        System.out.println("driver killed with rungs done " + done + ", cut " + cut);

        String resumed = run("tune", "--resume", killed.toString());
        assertTrue(resumed.contains("best finetune: "), resumed);
        Map<String, TrialStore.Rung> after = rungs(killed);
        for (String k : done) assertEquals(1, after.get(k).attempts(), "finished before the kill, not run again: " + k + " " + after.get(k));
        for (String k : cut) assertEquals(2, after.get(k).attempts(), "cut off by the kill, run once more: " + k + " " + after.get(k));
        assertTrue(after.values().stream().allMatch(r -> r.status() == TrialStore.Status.DONE), after.toString());
        Map<String, Double> resumedScores = new LinkedHashMap<>();
        after.forEach((k, r) -> resumedScores.put(k, r.score()));
        assertEquals(scores(local), resumedScores, "every rung's score equals the uninterrupted local search's");
        assertEquals(best(local), best(killed));
    }

    static JsonNode best(Path search) throws Exception {
        return new ObjectMapper().readTree(search.resolve("finetune/tune.json").toFile()).get("best");
    }

    /** Every recorded rung "trial/rung", in the store's order. */
    static Map<String, TrialStore.Rung> rungs(Path search) {
        Map<String, TrialStore.Rung> rungs = new LinkedHashMap<>();
        try (TrialStore store = TrialStore.open(search.resolve("finetune"))) {
            for (TrialStore.Rung r : store.rungs()) rungs.put(r.trialId() + "/" + r.rung(), r);
        }
        return rungs;
    }

    static List<String> args(String data, Path body, Path out, String[] search, String... executor) {
        List<String> args = new ArrayList<>(List.of("tune", "--data", data, "--body", body.toString()));
        args.addAll(List.of(search));
        args.addAll(List.of(executor));
        args.addAll(List.of("--out", out.toString()));
        return args;
    }

    static String tune(String data, Path body, Path out, String[] search, String... executor) {
        return run(args(data, body, out, search, executor).toArray(String[]::new));
    }

    /** {@code orca ARGS} in this JVM; returns what it printed, after checking it exited 0. */
    static String run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = OrcaCli.run(args);
        } finally {
            System.setOut(oldOut);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        return printed;
    }

    /** Every recorded rung "trial/rung" -> score; all must be done on their first attempt. */
    static Map<String, Double> scores(Path search) {
        Map<String, Double> scores = new LinkedHashMap<>();
        try (TrialStore store = TrialStore.open(search.resolve("finetune"))) {
            for (TrialStore.Rung r : store.rungs()) {
                assertEquals(TrialStore.Status.DONE, r.status(), r.toString());
                assertEquals(1, r.attempts(), r.toString());
                scores.put(r.trialId() + "/" + r.rung(), r.score());
            }
        }
        return scores;
    }

    /** The tiny random BERT of the other tests as a weights file, the way a body reaches every worker (a shared path). */
    static Path tinyBody(Path dir) throws Exception {
        Body b = Bodies.random(UcrTrialRunner.TINY_BERT, 7);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        b.module().namedParameters().forEach((n, p) -> { if (!p.isBuffer()) tensors.put(n, NdArray.ofFloats(p.get().toFloatArray(), p.get().shape())); });
        Path file = dir.resolve("tiny-body.safetensors");
        EngineCheckpoint.write(file, UcrTrialRunner.TINY_BERT, tensors);
        return file;
    }
}
