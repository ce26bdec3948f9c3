package dev.orcaj.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.LinkedHashMap;
import dev.orcaj.tune.TrialExecutor;
import dev.orcaj.tune.TrialRunner;

/**
 * Benchmark (not a test; bench/spark-overhead.sh runs it): wall time of the same 16-trial successive-halving search
 * (rungs of 1/2/4 epochs, eta 2: 28 rungs of real training) with two local threads and with Spark: {@code local[2]} in
 * this JVM, or a standalone cluster of two one-core Workers on this machine (one Spark context per JVM: one mode per run). Rounds alternate the executors so
 * that load from other processes hits all of them alike; round 0 warms the JIT and is not counted. Every search must
 * choose the same trial with the same scores (checked), so only the executor differs.
 */
public final class SparkOverheadBench {
    static final int[] RUNGS = {1, 2, 4};

    /** Args: MODE (local: Spark local[2] in this JVM; standalone: a Master and two Workers), counted ROUNDS, DIR. */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int rounds = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(dir);
        UcrTrialRunner.Factory runners = new UcrTrialRunner.Factory(UcrTrialRunner.italyPowerDemand(), 0);
        long t0 = System.nanoTime();
        if (mode.equals("local")) {
            JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("overhead local[2]").set("spark.ui.enabled", "false"));
            try {
                System.out.printf(Locale.ROOT, "start-up: Spark local[2] context %.1f s%n", (System.nanoTime() - t0) / 1e9);
                compare(runners, "spark local[2]", () -> new SparkTrialExecutor(spark, runners, 2), rounds, dir);
            } finally {
                spark.stop();
            }
        } else if (mode.equals("standalone")) {
            try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("cluster"), 2)) {
                JavaSparkContext spark = new JavaSparkContext(new SparkConf().setMaster(cluster.masterUrl).setAppName("overhead standalone").set("spark.ui.enabled", "false")
                        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                        .set("spark.executor.memory", StandaloneCluster.EXECUTOR_MEMORY).set("spark.executor.cores", "1")
                        .set("spark.executor.extraClassPath", System.getProperty("java.class.path")));
                try {
                    while (spark.sc().getExecutorMemoryStatus().size() < 3) Thread.sleep(100); // the driver's block manager + 2 executors
                    System.out.printf(Locale.ROOT, "start-up: standalone Master + 2 Workers + context + 2 executors %.1f s%n", (System.nanoTime() - t0) / 1e9);
                    compare(runners, "spark standalone 2 x 1 core", () -> new SparkTrialExecutor(spark, runners, 2), rounds, dir);
                } finally {
                    spark.stop();
                }
            }
        } else if (mode.equals("tune")) {
            tuneLocalVsSpark(rounds, dir);
        } else {
            throw new IllegalArgumentException("mode: expected local, standalone or tune, got '" + mode + "'");
        }
    }

    /**
     * The whole {@code orca tune} command, 16 trials (rungs 1/2/4 epochs, eta 2), {@code --parallel 2}: its local
     * executor (a child JVM per rung) vs {@code --executor spark} on {@code local[2]} (rungs in this JVM; the Spark
     * context starts inside the command and is counted). Same recorded scores and choice checked.
     */
    private static void tuneLocalVsSpark(int rounds, Path dir) throws Exception {
        String[] search = {"--methods", "finetune", "--trials", "16", "--min-epochs", "1", "--max-epochs", "4", "--eta", "2",
                "--parallel", "2", "--threads-per-trial", "1", "--space", "lr=1e-2,3e-3,1e-3,3e-4,1e-4;batch_size=8,16"};
        Path body = OrcaTuneOnSparkTest.tinyBody(dir);
        String data = UcrTrialRunner.italyPowerDemand();
        Map<String, String[]> executors = new LinkedHashMap<>();
        executors.put("orca tune --executor local", new String[0]);
        executors.put("orca tune --executor spark local[2]", new String[] {"--executor", "spark", "--executor-option", "master=local[2]"});
        Map<String, Double> reference = null;
        for (int round = 1; round <= rounds; round++) {
            for (var e : executors.entrySet()) {
                Path out = dir.resolve("tune-r" + round + "-" + (e.getValue().length == 0 ? "local" : "spark"));
                long start = System.nanoTime();
                OrcaTuneOnSparkTest.tune(data, body, out, search, e.getValue());
                double s = (System.nanoTime() - start) / 1e9;
                Map<String, Double> scores = OrcaTuneOnSparkTest.scores(out);
                if (reference == null) reference = scores;
                else if (!reference.equals(scores)) throw new IllegalStateException(e.getKey() + " recorded other scores");
                System.out.printf(Locale.ROOT, "round %d %-36s %6.1f s (%d rungs)%n", round, e.getKey(), s, scores.size());
            }
        }
    }

    /** Alternates the search on two local threads and on {@code spark}; prints each round and the medians. */
    private static void compare(UcrTrialRunner.Factory runners, String sparkName, Supplier<TrialExecutor> spark, int rounds, Path dir) throws Exception {
        Map<String, Map<String, String>> configs = HalvingSearch.learningRates(16);
        Map<String, Supplier<TrialExecutor>> executors = new LinkedHashMap<>();
        TrialRunner threadsRunner = runners.create();
        executors.put("local threads (2)", () -> new ThreadTrialExecutor(threadsRunner, 2));
        executors.put(sparkName, spark);
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        HalvingSearch.Outcome reference = null;
        for (int round = 0; round <= rounds; round++) {
            for (var e : executors.entrySet()) {
                String work = dir.resolve("r" + round + "-" + e.getKey().replaceAll("[^a-z0-9]+", "-")).toString();
                long start = System.nanoTime();
                HalvingSearch.Outcome o;
                try (TrialExecutor ex = e.getValue().get()) {
                    o = HalvingSearch.run(ex, "s", configs, RUNGS, 2, Map.of("seed", "5"), work);
                }
                double s = (System.nanoTime() - start) / 1e9;
                if (reference == null) reference = o;
                else if (!reference.bestTrial().equals(o.bestTrial()) || !scores(reference).equals(scores(o))) throw new IllegalStateException(e.getKey() + " gave another search result");
                System.out.printf(Locale.ROOT, "round %d %-28s %6.2f s%s%n", round, e.getKey(), s, round == 0 ? " (warm-up, not counted)" : "");
                if (round > 0) seconds.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(s);
            }
        }
        double base = median(seconds.get("local threads (2)"));
        System.out.printf(Locale.ROOT, "16 trials, %d rungs, best %s; medians of %d rounds:%n", reference.results().size(), reference.bestTrial(), rounds);
        seconds.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-28s %6.2f s  (%+.2f s, x%.2f of local threads)  all %s%n", k, median(v), median(v) - base, median(v) / base, v));
    }

    private static Map<String, Double> scores(HalvingSearch.Outcome o) {
        Map<String, Double> s = new java.util.TreeMap<>();
        o.results().forEach((k, r) -> s.put(k, r.score()));
        return s;
    }

    private static double median(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
