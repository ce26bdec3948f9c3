package dev.orcaj.spark;

import dev.orcaj.tune.RungResult;
import dev.orcaj.tune.TrialRung;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spark executor on an embedded {@code local[2,2]} Spark (two task threads, two attempts per task), real training. */
class SparkTrialExecutorTest {
    static final int[] RUNGS = {1, 2};
    static final Map<String, String> EXPERIMENT = Map.of("seed", "5");
    static SparkTrialExecutor spark;
    static UcrTrialRunner.Factory runners;

    @BeforeAll
    static void startSpark() {
        runners = new UcrTrialRunner.Factory(UcrTrialRunner.italyPowerDemand(), 0);
        spark = SparkTrialExecutor.start("local[2,2]", "test", runners, 0);
    }

    @AfterAll
    static void stopSpark() { if (spark != null) spark.close(); }

    @Test
    void searchOnSparkEqualsSearchOnLocalThreadsWithRungsInFlightTogether(@TempDir Path work) throws Exception {
        Map<String, Map<String, String>> configs = HalvingSearch.learningRates(6);
        HalvingSearch.Outcome local;
        try (ThreadTrialExecutor threads = new ThreadTrialExecutor(runners.create(), 2)) {
            local = HalvingSearch.run(threads, "s", configs, RUNGS, 2, EXPERIMENT, work.resolve("local").toString());
        }
        UcrTrialRunner.MOST_RUNNING.set(0);
        assertEquals(2, spark.parallelism(), "local[2,2] runs two tasks at once");
        HalvingSearch.Outcome onSpark = HalvingSearch.run(spark, "s", configs, RUNGS, 2, EXPERIMENT, work.resolve("spark").toString());

        assertEquals(6 + 3, onSpark.results().size());
        assertEquals(local.results().keySet(), onSpark.results().keySet());
        local.results().forEach((key, expected) -> {
            RungResult got = onSpark.results().get(key);
            assertEquals(expected.score(), got.score(), 0.0, key);
            assertEquals(expected.validation(), got.validation(), key);
        });
        assertEquals(local.bestTrial(), onSpark.bestTrial());
        assertEquals(2, UcrTrialRunner.MOST_RUNNING.get(), "two Spark jobs should have run rungs at the same time");
    }

    @Test
    void aFailedTaskIsRerunAndTheRungContinuesFromItsCheckpoint(@TempDir Path work) throws Exception {
        Map<String, String> config = Map.of("lr", "0.001");
        TrialRung plain = new TrialRung("s", "t", 0, 2, 2, EXPERIMENT, config, work.resolve("plain").toString());
        RungResult expected = runners.create().run(plain);
        TrialRung failing = new TrialRung("s", "t", 0, 2, 2, Map.of("seed", "5", "fail-first-attempt-after-step", "3"), config, work.resolve("spark").toString());

        RungResult got = spark.submit(failing).get(5, TimeUnit.MINUTES);

        Path trial = work.resolve("spark/s/t");
        assertEquals(2, Files.readAllLines(trial.resolve("attempts-0")).size(), "Spark should have run the task twice");
        assertTrue(Files.readString(trial.resolve("resumed-0")).contains("at step 3"), "the second attempt continues after step 3");
        assertEquals(expected.score(), got.score(), 0.0);
        assertEquals(expected.validation(), got.validation());
    }

    @Test
    void aRungThatFailsEveryAttemptFailsItsFutureNamingTheTrial(@TempDir Path work) {
        TrialRung bad = new TrialRung("s", "t7", 1, 1, 2, EXPERIMENT, Map.of("lr", "fast"), work.toString());
        CompletionException e = assertThrows(CompletionException.class, () -> spark.submit(bad).join());
        assertTrue(e.getCause().getMessage().contains("trial t7, rung 1 failed on Spark"), e.getCause().getMessage());
        assertTrue(e.getCause().getMessage().contains("fast"), e.getCause().getMessage());
        assertFalse(Files.exists(work.resolve("s/t7/done-1")));
    }
}
