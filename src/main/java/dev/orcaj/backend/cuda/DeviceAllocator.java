package dev.orcaj.backend.cuda;

import jcuda.CudaException;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Caching device allocator: cuMemAlloc is slow and synchronising, so released blocks go to per-size free lists
 * and are reused. Sizes are rounded up (512 B granules below 1 MiB, 2 MiB granules above) so similar requests
 * share blocks. When an allocation fails the cache is emptied back to the driver and the request retried once.
 * Not thread-safe on its own: {@link CudaDevice} serialises access.
 */
final class DeviceAllocator {
    private static final long SMALL = 1L << 20;
    private final Map<Long, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
    private long cachedBytes, liveBytes, peakBytes;

    static long rounded(long bytes) {
        long b = Math.max(bytes, 1);
        long granule = b < SMALL ? 512 : 2L << 20;
        return (b + granule - 1) / granule * granule;
    }

    DeviceBuffer allocate(long bytes) {
        long cap = rounded(bytes);
        ArrayDeque<CUdeviceptr> q = free.get(cap);
        CUdeviceptr p = q == null ? null : q.pollFirst();
        if (p != null) {
            cachedBytes -= cap;
        } else {
            p = new CUdeviceptr();
            try {
                JCudaDriver.cuMemAlloc(p, cap);
            } catch (CudaException e) { // most likely out of memory: give the cache back and retry once
                emptyCache();
                JCudaDriver.cuMemAlloc(p, cap);
            }
        }
        liveBytes += cap;
        peakBytes = Math.max(peakBytes, liveBytes);
        return new DeviceBuffer(p, null, bytes, cap, this::release);
    }

    void release(DeviceBuffer b) {
        liveBytes -= b.capacity;
        cachedBytes += b.capacity;
        free.computeIfAbsent(b.capacity, k -> new ArrayDeque<>()).addFirst(b.ptr);
    }

    void emptyCache() {
        JCudaDriver.cuCtxSynchronize(); // a cached block may still be read by queued work of an op that released it
        for (ArrayDeque<CUdeviceptr> q : free.values()) for (CUdeviceptr p : q) JCudaDriver.cuMemFree(p);
        free.clear();
        cachedBytes = 0;
    }

    /** Bytes held by live buffers, bytes parked in the cache, and the live peak. */
    String stats() {
        return String.format("live %.1f MiB, cached %.1f MiB, peak %.1f MiB", liveBytes / 1048576.0, cachedBytes / 1048576.0, peakBytes / 1048576.0);
    }
}
