package dev.orcaj.tune;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code local} executor: up to {@code parallelism} rungs at once, each on its own thread calling the
 * {@link TrialRunner}. For real training the runner is a {@link ChildJvmTrialRunner}, so every rung runs in its own JVM
 * with its own CPU thread pool (see there why); the threads here only wait for those processes.
 */
public final class LocalTrialExecutor implements TrialExecutor {
    private final TrialRunner runner;
    private final int parallelism;
    private final ExecutorService threads;

    public LocalTrialExecutor(TrialRunner runner, int parallelism) {
        if (parallelism < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallelism);
        this.runner = runner;
        this.parallelism = parallelism;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "orca-trial-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int parallelism() { return parallelism; }

    @Override
    public CompletableFuture<RungResult> submit(TrialRung rung) {
        CompletableFuture<RungResult> f = new CompletableFuture<>();
        threads.execute(() -> {
            try {
                f.complete(runner.run(rung));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public void close() { threads.shutdownNow(); }
}
