package dev.orcaj.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CpuPoolTest {
    @AfterEach
    void restoreThreads() {
        CpuPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void coversEveryIndexExactlyOnceWithContiguousChunks() {
        for (int threads : new int[] {1, 2, 3, 8}) {
            CpuPool.setThreads(threads);
            for (int len : new int[] {1, 7, 100, 1001}) {
                int[] hits = new int[len];
                AtomicInteger chunks = new AtomicInteger();
                CpuPool.parallelFor(5, 5 + len, 10, (from, to) -> {
                    chunks.incrementAndGet();
                    assertTrue(from < to && from >= 5 && to <= 5 + len, "bad chunk " + from + ".." + to);
                    for (int i = from; i < to; i++) hits[i - 5]++;
                });
                for (int i = 0; i < len; i++) assertEquals(1, hits[i], "index " + i + " threads " + threads);
                int expectedChunks = Math.min(threads, Math.max(1, len / 10));
                assertEquals(expectedChunks, chunks.get(), "chunks for len " + len + " threads " + threads);
            }
        }
    }

    @Test
    void runsInlineForOneThreadSmallWorkAndNestedCalls() {
        CpuPool.setThreads(1);
        Thread caller = Thread.currentThread();
        CpuPool.parallelFor(0, 1000, 1, (f, t) -> assertSame(caller, Thread.currentThread()));
        CpuPool.setThreads(2);
        CpuPool.parallelFor(0, 10, 100, (f, t) -> assertSame(caller, Thread.currentThread(), "small work"));
        Set<String> innerThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger inner = new AtomicInteger();
        CpuPool.parallelFor(0, 2, 1, (f, t) -> {
            Thread outer = Thread.currentThread();
            CpuPool.parallelFor(0, 100, 1, (f2, t2) -> {
                assertSame(outer, Thread.currentThread(), "nested parallelFor must run inline");
                innerThreads.add(Thread.currentThread().getName());
                inner.addAndGet(t2 - f2);
            });
        });
        assertEquals(200, inner.get());
        assertTrue(innerThreads.size() <= 2);
    }

    @Test
    void usesHelperThreadsThatAreDaemons() {
        CpuPool.setThreads(2);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        for (int rep = 0; rep < 50 && seen.size() < 2; rep++) {
            CpuPool.parallelFor(0, 2, 1, (f, t) -> {
                seen.add(Thread.currentThread());
                long end = System.nanoTime() + 2_000_000; // long enough for the helper to claim the other chunk
                while (System.nanoTime() < end) Thread.onSpinWait();
            });
        }
        assertEquals(2, seen.size(), "two threads should take part");
        for (Thread t : seen) {
            if (t != Thread.currentThread()) assertTrue(t.isDaemon(), t.getName() + " must be a daemon");
        }
    }

    @Test
    void rethrowsTheChunkFailureAndRejectsBadThreadCounts() {
        CpuPool.setThreads(2);
        var e = assertThrows(IllegalStateException.class, () -> CpuPool.parallelFor(0, 100, 1, (f, t) -> {
            if (f == 0) throw new IllegalStateException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuPool.setThreads(0));
        CpuPool.setThreads(3);
        assertEquals(3, CpuPool.threads());
    }

    @Test
    void threadCountComesFromPropertyThenEnvironmentThenProcessors() {
        assertEquals(3, CpuPool.resolveThreads("3", "5", 2));
        assertEquals(5, CpuPool.resolveThreads(null, "5", 2));
        assertEquals(5, CpuPool.resolveThreads(" ", " 5 ", 2));
        assertEquals(2, CpuPool.resolveThreads(null, null, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> CpuPool.resolveThreads("zero", null, 2));
        assertTrue(e.getMessage().contains("orcaj.threads") && e.getMessage().contains("zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CpuPool.resolveThreads(null, "0", 2));
        assertTrue(e.getMessage().contains("ORCAJ_THREADS"), e.getMessage());
    }
}
