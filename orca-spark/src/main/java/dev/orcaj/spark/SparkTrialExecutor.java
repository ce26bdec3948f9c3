package dev.orcaj.spark;

import dev.orcaj.tune.RungResult;
import dev.orcaj.tune.TrialExecutor;
import dev.orcaj.tune.TrialRung;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs every submitted {@link TrialRung} as one Spark job: a one-partition RDD holding the rung, mapped through the
 * executor JVM's {@link dev.orcaj.tune.TrialRunner}, collected asynchronously. Any number of jobs may be in flight;
 * Spark schedules their tasks on free executor cores, and each job's result completes its {@link CompletableFuture} on
 * a driver thread the moment it arrives, so an asynchronous scheduler (ASHA) decides promotions as results come in.
 *
 * <p>Faults: a task whose executor dies is rerun by Spark on another executor (up to {@code spark.task.maxFailures}
 * attempts); the runner then finds the trial's last checkpoint under the rung's shared {@code workDir} and continues
 * from it. A rung that fails every attempt completes its future exceptionally with the task's error.
 *
 * <p>Data: rungs carry only strings. Datasets and the body are read by the runner from paths every executor can reach
 * (a shared file system, or identical copies on each worker), once per executor JVM ({@link TrialRunnerFactory}).
 */
public final class SparkTrialExecutor implements TrialExecutor {
    /** Attempts per rung before the search sees it fail: Spark's cluster default, made explicit (local mode has 1). */
    public static final int TASK_ATTEMPTS = 4;

    private final JavaSparkContext spark;
    private final boolean ownsContext;
    private final TrialRunnerFactory runners;
    private final int parallelism;
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "orca-spark-rung-waiter");
        t.setDaemon(true);
        return t;
    });

    /** Uses (and does not stop) an existing context; {@code parallelism} rungs are kept in flight. */
    public SparkTrialExecutor(JavaSparkContext spark, TrialRunnerFactory runners, int parallelism) {
        this(spark, false, runners, parallelism);
    }

    private SparkTrialExecutor(JavaSparkContext spark, boolean ownsContext, TrialRunnerFactory runners, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallelism);
        this.spark = spark;
        this.ownsContext = ownsContext;
        this.runners = runners;
        this.parallelism = parallelism;
    }

    /**
     * Starts a Spark context for a search and stops it on {@link #close()}. {@code master} as for spark-submit
     * ({@code local[2]}, {@code spark://HOST:7077}, {@code k8s://...}); null takes spark-submit's {@code --master}.
     * {@code parallelism} 0 means Spark's default parallelism when the context starts (the executor cores registered by
     * then, at least 2: on a cluster that is still starting executors, pass the number of task slots instead).
     */
    public static SparkTrialExecutor start(String master, String searchName, TrialRunnerFactory runners, int parallelism) {
        SparkConf conf = new SparkConf();
        if (master != null) conf.setMaster(master);
        return start(conf, searchName, runners, parallelism);
    }

    /** As above with a prepared configuration (spark.* system properties already read, as spark-submit sets them). */
    public static SparkTrialExecutor start(SparkConf conf, String searchName, TrialRunnerFactory runners, int parallelism) {
        conf.setAppName("orca tune " + searchName).setIfMissing("spark.task.maxFailures", Integer.toString(TASK_ATTEMPTS));
        if (!conf.contains("spark.master")) throw new IllegalArgumentException("--master: no Spark master given (local[*], spark://HOST:PORT or k8s://...) and none set by spark-submit");
        JavaSparkContext spark = new JavaSparkContext(conf);
        try {
            return new SparkTrialExecutor(spark, true, runners, parallelism > 0 ? parallelism : spark.defaultParallelism());
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
    }

    @Override
    public int parallelism() { return parallelism; }

    @Override
    public CompletableFuture<RungResult> submit(TrialRung rung) {
        JavaFutureAction<List<RungResult>> job;
        synchronized (spark) { // the job description is a property of the submitting thread, set just before the job
            spark.setJobDescription("orca tune " + rung.searchId() + ": trial " + rung.trialId() + ", rung " + rung.rung() + " (" + rung.epochs() + " epochs)");
            job = spark.parallelize(List.of(rung), 1).map(new RunRung(runners)).collectAsync();
        }
        CompletableFuture<RungResult> result = new CompletableFuture<>();
        result.whenComplete((r, e) -> { if (e instanceof CancellationException) job.cancel(true); });
        waiters.execute(() -> {
            try {
                result.complete(job.get().getFirst());
            } catch (ExecutionException e) {
                result.completeExceptionally(new IllegalStateException("trial " + rung.trialId() + ", rung " + rung.rung() + " failed on Spark: "
                        + (e.getCause() == null ? e : e.getCause()).getMessage(), e.getCause()));
            } catch (InterruptedException | CancellationException e) {
                result.cancel(false);
            }
        });
        return result;
    }

    /** Stops waiting (in-flight jobs are cancelled) and stops the Spark context if this executor started it. */
    @Override
    public void close() {
        waiters.shutdownNow();
        if (ownsContext) spark.stop();
    }

    /** The Spark task: run one rung through this JVM's runner. */
    private record RunRung(TrialRunnerFactory runners) implements Function<TrialRung, RungResult> {
        @Override
        public RungResult call(TrialRung rung) throws Exception {
            return runners.runnerInThisJvm().run(rung);
        }
    }
}
