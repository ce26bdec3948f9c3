package dev.orcaj.backend.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A block of device memory from a {@link DeviceAllocator}; {@code close()} returns it to the allocator's cache
 * (it is not freed to the driver). {@code capacity} is the rounded size actually reserved.
 */
public final class DeviceBuffer implements AutoCloseable {
    final CUdeviceptr ptr;
    final long bytes;
    final long capacity;
    private final DeviceAllocator owner;
    private boolean closed;

    DeviceBuffer(CUdeviceptr ptr, long bytes, long capacity, DeviceAllocator owner) {
        this.ptr = ptr;
        this.bytes = bytes;
        this.capacity = capacity;
        this.owner = owner;
    }

    public long bytes() { return bytes; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        owner.release(this);
    }
}
