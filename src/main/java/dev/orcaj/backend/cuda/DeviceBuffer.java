package dev.orcaj.backend.cuda;

import jcuda.driver.CUdeviceptr;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A block of device memory; {@code close()} hands it back to its device (the JCuda device's caching allocator keeps
 * it for reuse). {@code ptr} is the JCuda handle; {@code segment} the native memory of the CPU-emulated device used
 * by tests (exactly one is non-null). {@code capacity} is the rounded size actually reserved.
 */
public final class DeviceBuffer implements AutoCloseable {
    final CUdeviceptr ptr;
    final MemorySegment segment;
    final long bytes;
    final long capacity;
    private final Consumer<DeviceBuffer> release;
    private boolean closed;

    DeviceBuffer(CUdeviceptr ptr, MemorySegment segment, long bytes, long capacity, Consumer<DeviceBuffer> release) {
        this.ptr = ptr;
        this.segment = segment;
        this.bytes = bytes;
        this.capacity = capacity;
        this.release = release;
    }

    public long bytes() { return bytes; }

    /**
     * The part of this buffer from {@code byteOffset} on, borrowed: closing the slice releases nothing (a view of a
     * device-resident tensor with a non-zero offset).
     */
    DeviceBuffer slice(long byteOffset) {
        if (byteOffset == 0) return new DeviceBuffer(ptr, segment, bytes, capacity, b -> {});
        return new DeviceBuffer(ptr == null ? null : ptr.withByteOffset(byteOffset), segment == null ? null : segment.asSlice(byteOffset),
                bytes - byteOffset, capacity - byteOffset, b -> {});
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        release.accept(this);
    }
}
