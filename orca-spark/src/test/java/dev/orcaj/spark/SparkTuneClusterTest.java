package dev.orcaj.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.tune.TrialStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code orca tune --executor spark} on a real standalone cluster (Master and two one-core Workers in their own JVMs):
 * while both executors run rungs, one Worker and its executor are killed with SIGKILL. The search must still finish,
 * every rung recorded once as done in the driver's trial store, with the same scores and the same chosen trial as
 * {@code --executor local}. Tagged: bench/spark-cluster.sh.
 */
@Tag("spark-cluster")
class SparkTuneClusterTest {
    static final String[] SEARCH = {"--methods", "finetune", "--trials", "4", "--min-epochs", "1", "--max-epochs", "4", "--eta", "2",
            "--parallel", "2", "--threads-per-trial", "1", "--space", "lr=1e-2,1e-3,1e-4;batch_size=8,16"};

    @Test
    void tuneSurvivesAKilledWorkerAndChoosesAsTheLocalExecutor() throws Exception {
        Path dir = Path.of("target", "spark-tune-cluster").toAbsolutePath();
        SparkClusterTest.deleteTree(dir);
        Files.createDirectories(dir);
        Path body = OrcaTuneOnSparkTest.tinyBody(dir);
        String data = "ucr:" + Path.of(UcrTrialRunner.italyPowerDemand().substring(4)).resolveSibling("ECG5000");
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        OrcaTuneOnSparkTest.tune(data, body, local, SEARCH);

        try (StandaloneCluster cluster = new StandaloneCluster(dir, 2)) {
            String options = String.join(",", List.of("master=" + cluster.masterUrl, "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
                    "spark.executor.memory=" + StandaloneCluster.EXECUTOR_MEMORY, "spark.executor.cores=1",
                    "spark.executor.extraClassPath=" + System.getProperty("java.class.path"), "spark.extraListeners=" + TaskLossListener.class.getName()));
            TaskLossListener.FAILED.set(0);
            CompletableFuture<String> search = CompletableFuture.supplyAsync(() -> OrcaTuneOnSparkTest.tune(data, body, spark, SEARCH, "--executor", "spark", "--executor-option", options));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (TaskLossListener.RUNNING.get() < 2 || !anyTrialState(spark)) { // both executors busy, and some trial has a checkpoint
                if (System.nanoTime() > deadline || search.isDone()) throw new IllegalStateException("never saw two rungs running after a trial checkpoint");
                Thread.sleep(50);
            }
            cluster.killWorkerAndItsExecutors(0);
            String out = search.get(10, TimeUnit.MINUTES);
            assertTrue(out.contains("best finetune: "), out);
        }
        assertTrue(TaskLossListener.FAILED.get() >= 1, "the killed executor's rung should have been lost and rerun");
        assertEquals(OrcaTuneOnSparkTest.scores(local), OrcaTuneOnSparkTest.scores(spark));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(local.resolve("finetune/tune.json").toFile()).get("best").get("trial").asText(),
                json.readTree(spark.resolve("finetune/tune.json").toFile()).get("best").get("trial").asText());
    }

    private static boolean anyTrialState(Path search) throws Exception {
        Path trials = search.resolve("finetune/trials");
        if (!Files.isDirectory(trials)) return false;
        try (var s = Files.walk(trials)) {
            return s.anyMatch(p -> p.getFileName().toString().equals(dev.orcaj.orca.Experiment.TRIAL_STATE));
        }
    }
}
