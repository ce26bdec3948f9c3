package dev.orcaj.backend.cuda;

import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.DeviceMemory;

import java.lang.ref.Cleaner;

/**
 * The device data of a device-resident {@link dev.orcaj.tensor.Storage}: a buffer from the device's caching
 * allocator holding {@code n} floats. When the storage (and so this object) becomes unreachable, a Cleaner hands
 * the buffer back to the allocator's cache; the next op of the same size reuses it, so a training loop's device
 * memory stays flat after its first step (CudaResidencyTest checks it).
 */
final class CudaMemory implements DeviceMemory {
    private static final Cleaner CLEANER = Cleaner.create();
    final CudaBackend backend;
    final DeviceBuffer buffer;
    private final int n;

    CudaMemory(CudaBackend backend, DeviceBuffer buffer, int n) {
        this.backend = backend;
        this.buffer = buffer;
        this.n = n;
        CLEANER.register(this, buffer::close); // the action must not reach this object
    }

    @Override public Device device() { return backend; }

    @Override public void download(float[] dst) { backend.device().download(buffer, dst, 0, n); }

    @Override public void upload(float[] src) { backend.device().uploadInto(src, 0, n, buffer); }
}
