package dev.orcaj.backend.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongFunction;

/**
 * Caching device allocator: cuMemAlloc is slow and synchronising, so released blocks go to per-size free lists
 * and are reused. Sizes are rounded up (512 B granules below 1 MiB, 2 MiB granules above) so similar requests
 * share blocks. Blocks come from {@code raw} (cuMemAlloc on a GPU, native memory on the emulated device); a block
 * is returned by closing the buffer handed out, from any thread (device-resident storages are released by a
 * Cleaner when the GC finds them unreachable), onto a lock-free queue drained at the next allocation. When a raw
 * allocation fails, the allocator runs the GC (so unreachable tensors hand their blocks back), empties the cache
 * and retries once. Not thread-safe otherwise: {@link CudaDevice} serialises access.
 */
final class DeviceAllocator {
    private static final long SMALL = 1L << 20;
    private final LongFunction<DeviceBuffer> raw;
    private final Runnable synchronize;
    private final Map<Long, ArrayDeque<DeviceBuffer>> free = new HashMap<>();
    private final ConcurrentLinkedQueue<DeviceBuffer> released = new ConcurrentLinkedQueue<>();
    private long cachedBytes, liveBytes, peakBytes, reservedBytes;

    DeviceAllocator(LongFunction<DeviceBuffer> raw, Runnable synchronize) {
        this.raw = raw;
        this.synchronize = synchronize;
    }

    static long rounded(long bytes) {
        long b = Math.max(bytes, 1);
        long granule = b < SMALL ? 512 : 2L << 20;
        return (b + granule - 1) / granule * granule;
    }

    DeviceBuffer allocate(long bytes) {
        drainReleased();
        long cap = rounded(bytes);
        ArrayDeque<DeviceBuffer> q = free.get(cap);
        DeviceBuffer block = q == null ? null : q.pollFirst();
        if (block != null) {
            cachedBytes -= cap;
        } else {
            try {
                block = raw.apply(cap);
            } catch (RuntimeException e) { // most likely out of memory: reclaim unreachable tensors, give the cache back, retry once
                reclaim();
                block = raw.apply(cap);
            }
            reservedBytes += cap;
        }
        liveBytes += cap;
        peakBytes = Math.max(peakBytes, liveBytes);
        DeviceBuffer b = block;
        return new DeviceBuffer(b.ptr, b.segment, bytes, cap, handed -> released.add(b));
    }

    private void drainReleased() {
        for (DeviceBuffer b; (b = released.poll()) != null; ) {
            liveBytes -= b.capacity;
            cachedBytes += b.capacity;
            free.computeIfAbsent(b.capacity, k -> new ArrayDeque<>()).addFirst(b);
        }
    }

    private void reclaim() {
        System.gc();
        try {
            Thread.sleep(100); // the Cleaner thread hands the blocks of collected tensors back
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        emptyCache();
    }

    void emptyCache() {
        drainReleased();
        synchronize.run(); // a cached block may still be read by queued work of an op that released it
        for (ArrayDeque<DeviceBuffer> q : free.values()) for (DeviceBuffer b : q) { reservedBytes -= b.capacity; b.close(); }
        free.clear();
        cachedBytes = 0;
    }

    /** Bytes obtained from the device and not given back (live + cached): flat over training steps when blocks are reused. */
    long reservedBytes() {
        drainReleased();
        return reservedBytes;
    }

    /** Bytes held by live buffers, bytes parked in the cache, and the live peak. */
    String stats() {
        drainReleased();
        return String.format("live %.1f MiB, cached %.1f MiB, peak %.1f MiB, reserved %.1f MiB", liveBytes / 1048576.0, cachedBytes / 1048576.0,
                peakBytes / 1048576.0, reservedBytes / 1048576.0);
    }
}
