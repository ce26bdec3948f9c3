package dev.orcaj.spark;

import dev.orcaj.tune.RungResult;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search on a real standalone Spark cluster (a Master and two one-core Workers in their own JVMs, executors started
 * by the Workers) during which one Worker and its executor are killed with SIGKILL mid-rung. Every rung must finish
 * exactly once, the killed rung must be rerun from its checkpoint, and the search must give the same results as local
 * threads. Tagged: run by bench/spark-cluster.sh (or {@code mvn test -Dgroups=spark-cluster}).
 */
@Tag("spark-cluster")
class SparkClusterTest {
    static final Map<String, String> EXPERIMENT = Map.of("seed", "5");
    static final int[] RUNGS = {1, 2};

    @Test
    void searchSurvivesAKilledWorkerAndEqualsTheLocalSearch() throws Exception {
        Path dir = Path.of("target", "spark-cluster").toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        String data = UcrTrialRunner.italyPowerDemand();
        Map<String, Map<String, String>> configs = HalvingSearch.learningRates(4);
        HalvingSearch.Outcome local;
        try (ThreadTrialExecutor threads = new ThreadTrialExecutor(new UcrTrialRunner.Factory(data, 0).create(), 2)) {
            local = HalvingSearch.run(threads, "s", configs, RUNGS, 2, EXPERIMENT, dir.resolve("local").toString());
        }

        Path work = dir.resolve("spark");
        try (StandaloneCluster cluster = new StandaloneCluster(dir, 2)) {
            SparkConf conf = new SparkConf().setMaster(cluster.masterUrl).setAppName("orca-spark cluster test")
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.executor.memory", StandaloneCluster.EXECUTOR_MEMORY).set("spark.executor.cores", "1")
                    .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .set("spark.executor.extraJavaOptions", "-Dorca.spark.log=info") // Spark adds its own --add-opens and the vector module
                    .set("spark.task.maxFailures", Integer.toString(SparkTrialExecutor.TASK_ATTEMPTS));
            JavaSparkContext context = new JavaSparkContext(conf);
            try (SparkTrialExecutor spark = new SparkTrialExecutor(context, new UcrTrialRunner.Factory(data, 150), 2)) {
                awaitExecutors(context, 2);
                CompletableFuture<HalvingSearch.Outcome> search = CompletableFuture.supplyAsync(
                        () -> HalvingSearch.run(spark, "s", configs, RUNGS, 2, EXPERIMENT, work.toString()));
                long killed = killAWorkerMidRung(cluster, work);
                HalvingSearch.Outcome onSpark = search.get(10, TimeUnit.MINUTES);

                assertEquals(local.results().keySet(), onSpark.results().keySet());
                local.results().forEach((key, expected) -> {
                    RungResult got = onSpark.results().get(key);
                    assertEquals(expected.score(), got.score(), 0.0, key);
                    assertEquals(expected.validation(), got.validation(), key);
                });
                assertEquals(local.bestTrial(), onSpark.bestTrial());
                for (String key : onSpark.results().keySet()) {
                    String[] trialRung = key.split("/");
                    Path trial = work.resolve("s").resolve(trialRung[0]);
                    assertEquals(1, Files.readAllLines(trial.resolve("done-" + trialRung[1])).size(), key + " should have finished exactly once");
                }
                boolean rerunFromCheckpoint = onSpark.results().keySet().stream().anyMatch(key -> {
                    String[] trialRung = key.split("/");
                    Path trial = work.resolve("s").resolve(trialRung[0]);
                    return lines(trial.resolve("attempts-" + trialRung[1])).contains(Long.toString(killed)) && Files.exists(trial.resolve("resumed-" + trialRung[1]));
                });
                assertTrue(rerunFromCheckpoint, "the rung on the killed executor " + killed + " should have been rerun from its checkpoint");
            } finally {
                context.stop();
            }
        }
    }

    /** Waits for a rung to be running with a checkpoint written, then kills its executor and Worker; the executor's pid. */
    private static long killAWorkerMidRung(StandaloneCluster cluster, Path work) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            for (Path running : runningFiles(work)) {
                String rung = running.getFileName().toString().substring("running-".length());
                if (!Files.exists(running.resolveSibling("rung-" + rung + ".checkpoint.safetensors"))) continue;
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(running).trim());
                } catch (IOException | NumberFormatException e) {
                    continue; // finished (deleted) or being written meanwhile
                }
                Optional<Process> worker = cluster.workerOf(pid);
                if (worker.isPresent()) {
                    cluster.killWorkerAndExecutor(worker.get(), pid);
                    return pid;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no rung was seen running on a cluster executor with a checkpoint within 2 minutes");
    }

    private static List<Path> runningFiles(Path work) throws IOException {
        if (!Files.isDirectory(work)) return List.of();
        try (Stream<Path> files = Files.walk(work)) {
            return files.filter(p -> p.getFileName().toString().startsWith("running-")).toList();
        }
    }

    private static void awaitExecutors(JavaSparkContext context, int executors) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        // the driver's own block manager is listed too
        while (context.sc().getExecutorMemoryStatus().size() < executors + 1) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("fewer than " + executors + " executors registered within 3 minutes");
            Thread.sleep(200);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
