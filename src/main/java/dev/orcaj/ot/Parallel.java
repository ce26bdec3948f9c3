package dev.orcaj.ot;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * Fixed-partition parallel loops: {@code [0, n)} is cut into at most {@link #threads()} contiguous ranges, one
 * per task. Every kernel computes each row independently of the partition, so results are bitwise identical
 * for any thread count. Calls made from a pool thread run serially (no nested parallelism, no deadlock).
 * Thread count: system property {@code orcaj.ot.threads}, default = available processors (at most 16).
 */
final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("orcaj.ot.threads",
            Math.min(16, Runtime.getRuntime().availableProcessors())));
    private static final ThreadGroup GROUP = new ThreadGroup("orcaj-ot");
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), r -> {
        Thread t = new Thread(GROUP, r, "orcaj-ot-worker");
        t.setDaemon(true);
        return t;
    });

    interface RangeBody { void run(int lo, int hi); }

    private Parallel() {}

    static int threads() { return THREADS; }

    /** Runs {@code body} over contiguous ranges of {@code [0, n)}; ranges hold at least {@code minChunk} rows. */
    static void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int parts = Math.min(THREADS, Math.max(1, n / Math.max(1, minChunk)));
        if (parts == 1 || Thread.currentThread().getThreadGroup() == GROUP) {
            body.run(0, n);
            return;
        }
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int p = 0; p < parts - 1; p++) {
            int lo = (int) ((long) n * p / parts), hi = (int) ((long) n * (p + 1) / parts);
            futures[p] = POOL.submit(() -> body.run(lo, hi));
        }
        body.run((int) ((long) n * (parts - 1) / parts), n);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel OT kernel", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error er) throw er;
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
