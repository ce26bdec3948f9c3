package dev.orcaj.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one shared thread pool of all CPU kernels.
 *
 * <p>Size: system property {@code orcaj.threads}, else environment variable {@code ORCAJ_THREADS}, else
 * {@link Runtime#availableProcessors()}; {@link #setThreads(int)} changes it at run time (benchmarks, tests).
 * Threads are daemons, so the pool never keeps the JVM alive.
 *
 * <p>{@link #parallelFor} splits a range into contiguous chunks whose bounds depend only on the range, the
 * grain and {@link #threads()}. Kernels make each output element the work of exactly one chunk and fix the
 * reduction order inside it, so results do not depend on which thread runs which chunk. The calling thread
 * takes chunks too, and a {@code parallelFor} issued from inside a chunk runs inline (no nested fan-out, so
 * no pool thread ever waits on the pool).
 */
public final class CpuPool {
    /** A body that processes the half-open index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static volatile int threads = configuredThreads();
    private static ExecutorService pool; // guarded by CpuPool.class; holds threads - 1 helpers
    private static final java.util.concurrent.atomic.LongAdder SPLIT_RUNS = new java.util.concurrent.atomic.LongAdder();

    private CpuPool() {}

    /** Number of threads (the caller included) that a parallel kernel uses. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads; 1 makes every kernel run on the calling thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("CpuPool.setThreads: thread count must be >= 1, got " + n);
        if (n == threads) return;
        if (pool != null) pool.shutdown(); // running chunks finish; their callers already hold a reference
        pool = null;
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [start, end)} split into at most {@link #threads()} contiguous chunks of at
     * least {@code minChunk} indices (the last may be shorter only when the whole range is). Runs inline when
     * one thread is configured, when the range is no longer than {@code minChunk}, or when called from inside
     * another {@code parallelFor}. Rethrows the first exception a chunk threw.
     */
    public static void parallelFor(int start, int end, int minChunk, RangeBody body) {
        int len = end - start;
        if (len <= 0) return;
        int t = threads;
        int chunks = (int) Math.min(t, Math.max(1, len / (long) Math.max(1, minChunk)));
        if (chunks <= 1 || INSIDE.get()) {
            body.run(start, end);
            return;
        }
        runChunks(start, len, chunks, body);
    }

    /**
     * How many {@link #parallelFor} calls so far were split into more than one chunk: lets a test prove that the
     * sizes it uses really spread a kernel over several threads (a 1-vs-N thread check on sizes that never split
     * compares a kernel with itself).
     */
    public static long splitRuns() {
        return SPLIT_RUNS.sum();
    }

    /** Like {@link #parallelFor} with one index per task: use when each index is a sizeable piece of work. */
    public static void parallelTasks(int count, RangeBody body) {
        parallelFor(0, count, 1, body);
    }

    private static void runChunks(int start, int len, int chunks, RangeBody body) {
        SPLIT_RUNS.increment();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            boolean wasInside = INSIDE.get();
            INSIDE.set(Boolean.TRUE);
            try {
                int c;
                while ((c = next.getAndIncrement()) < chunks) {
                    try {
                        // Balanced split: chunk c covers [c*len/chunks, (c+1)*len/chunks).
                        int from = start + (int) ((long) c * len / chunks);
                        int to = start + (int) ((long) (c + 1) * len / chunks);
                        body.run(from, to);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        if (done.incrementAndGet() == chunks) {
                            synchronized (done) { done.notifyAll(); }
                        }
                    }
                }
            } finally {
                INSIDE.set(wasInside);
            }
        };
        ExecutorService helpers = helpers();
        try {
            for (int i = 1; i < chunks; i++) helpers.execute(worker);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // setThreads() retired this pool meanwhile: the caller's loop below still takes every chunk.
        }
        worker.run();
        // Helpers that never got a chunk exit at once; we only wait for chunks that were claimed.
        int spins = 0;
        while (done.get() < chunks) {
            if (++spins < 2_000) { // brief spin: the last chunk usually ends within microseconds
                Thread.onSpinWait();
            } else {
                synchronized (done) {
                    if (done.get() < chunks) {
                        try {
                            done.wait(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("CpuPool.parallelFor: interrupted while waiting", e);
                        }
                    }
                }
            }
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        if (e != null) throw new IllegalStateException("CpuPool.parallelFor: a chunk failed", e);
    }

    private static synchronized ExecutorService helpers() {
        if (pool == null) {
            AtomicInteger id = new AtomicInteger();
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread th = new Thread(r, "orcaj-cpu-" + id.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
        }
        return pool;
    }

    private static int configuredThreads() {
        return resolveThreads(System.getProperty("orcaj.threads"), System.getenv("ORCAJ_THREADS"),
                Runtime.getRuntime().availableProcessors());
    }

    /** The property wins over the environment variable, which wins over the processor count. */
    static int resolveThreads(String property, String env, int processors) {
        String s = property, source = "system property orcaj.threads";
        if (s == null || s.isBlank()) {
            s = env;
            source = "environment variable ORCAJ_THREADS";
        }
        if (s == null || s.isBlank()) return processors;
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException(source + ": expected a positive integer thread count, got '" + s + "'");
    }
}
