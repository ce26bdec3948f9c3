package dev.orcaj.tensor;

/**
 * Where a {@link Storage}'s data lives. {@link #CPU} is the Java heap (every storage starts there); an accelerator
 * (dev.orcaj.backend.cuda.CudaBackend) implements {@link #allocateCopy} and is also the backend that runs the ops of
 * tensors resident on it (dev.orcaj.backend.Backends routes by residence, not by a global switch).
 */
public interface Device {
    String name();

    /** Device memory holding a copy of {@code src[off, off + n)} (F32). */
    DeviceMemory allocateCopy(float[] src, int off, int n);

    /** Device memory of {@code n} zeros (F32); a device fills it in place, with no transfer. */
    default DeviceMemory allocateZeros(int n) { return allocateCopy(new float[n], 0, n); }

    Device CPU = new Device() {
        @Override public String name() { return "cpu"; }

        @Override public DeviceMemory allocateCopy(float[] src, int off, int n) { throw new UnsupportedOperationException("the CPU holds no device memory"); }

        @Override public String toString() { return "cpu"; }
    };
}
