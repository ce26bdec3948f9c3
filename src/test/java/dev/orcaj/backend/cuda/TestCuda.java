package dev.orcaj.backend.cuda;

/** For tests outside this package: the CUDA backend over the GPU or, without one, the CPU emulation (GpuAssume's rules). */
public final class TestCuda {
    private static CudaBackend backend;

    private TestCuda() {}

    /** One backend per JVM (a tensor resident on one CudaBackend instance is foreign to another). Skips or fails as GpuAssume does. */
    public static synchronized CudaBackend backend() {
        CudaDevice d = GpuAssume.device();
        if (backend == null || backend.device() != d) backend = new CudaBackend(d);
        return backend;
    }
}
