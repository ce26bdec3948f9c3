package dev.orcaj.spark;

import dev.orcaj.tune.RungResult;
import dev.orcaj.tune.TrialExecutor;
import dev.orcaj.tune.TrialRung;
import dev.orcaj.tune.TrialRunner;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local executor the Spark executor is compared with: rungs on {@code threads} threads of this JVM. A stand-in
 * until the tune helper's local executor lands on main; it runs the same {@link TrialRunner}.
 */
final class ThreadTrialExecutor implements TrialExecutor {
    private final TrialRunner runner;
    private final int threads;
    private final ExecutorService pool;

    ThreadTrialExecutor(TrialRunner runner, int threads) {
        this.runner = runner;
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads);
    }

    @Override
    public int parallelism() { return threads; }

    @Override
    public CompletableFuture<RungResult> submit(TrialRung rung) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(rung);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, pool);
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
