package dev.orcaj.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * One GPU: its primary context, one stream on which every copy, kernel and GEMM is queued, the caching allocator,
 * the pinned staging buffer, the loaded PTX modules and the GEMM provider. All methods are synchronized and make
 * the context current on the calling thread first, so the engine may call from any thread (calls serialise).
 */
public final class CudaDevice {
    private static final CUdeviceptr NULL = new CUdeviceptr();
    public final int ordinal;
    public final String name;
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final DeviceAllocator allocator = new DeviceAllocator();
    private final PinnedStaging staging = new PinnedStaging();
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final EnumMap<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private Gemm gemm;

    CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, ordinal);
        byte[] nm = new byte[256];
        JCudaDriver.cuDeviceGetName(nm, nm.length, dev);
        int len = 0;
        while (len < nm.length && nm[len] != 0) len++;
        this.name = new String(nm, 0, len, StandardCharsets.US_ASCII);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, dev);
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamCreate(stream, jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING);
        Cuda.LOG.info("cuda:" + ordinal + " " + name + " ready");
    }

    private void bind() { JCudaDriver.cuCtxSetCurrent(context); }

    CUstream stream() { return stream; }

    public synchronized DeviceBuffer allocate(long bytes) {
        bind();
        return allocator.allocate(bytes);
    }

    public synchronized DeviceBuffer upload(float[] src) { return upload(src, 0, src.length); }

    public synchronized DeviceBuffer upload(float[] src, int off, int len) {
        DeviceBuffer b = allocate(4L * len);
        staging.upload(src, off, len, b.ptr, stream);
        return b;
    }

    public synchronized DeviceBuffer upload(int[] src) {
        DeviceBuffer b = allocate(4L * src.length);
        staging.upload(src, b.ptr, stream);
        return b;
    }

    public synchronized float[] download(DeviceBuffer b, int len) {
        float[] out = new float[len];
        download(b, out, 0, len);
        return out;
    }

    public synchronized void download(DeviceBuffer b, float[] dst, int off, int len) {
        bind();
        staging.download(b.ptr, dst, off, len, stream);
    }

    public synchronized int[] downloadInts(DeviceBuffer b, int len) {
        bind();
        int[] out = new int[len];
        staging.download(b.ptr, out, stream);
        return out;
    }

    /** Sets {@code n} floats of b to zero (asynchronously, on the stream). */
    public synchronized void zero(DeviceBuffer b, int n) {
        bind();
        if (n > 0) JCudaDriver.cuMemsetD32Async(b.ptr, 0, n, stream);
    }

    public synchronized void synchronize() {
        bind();
        JCudaDriver.cuStreamSynchronize(stream);
    }

    /** Grid size for a grid-stride loop over n elements with 256-thread blocks (capped; the loop covers the rest). */
    static int gridFor(long n) { return (int) Math.max(1, Math.min((n + 255) / 256, 65_535)); }

    /**
     * Queues a kernel. Arguments in kernel order: {@link DeviceBuffer} (device pointer), null (null pointer),
     * Integer, Float, or int[] (a by-value struct such as {@code View}, packed as ints).
     */
    public synchronized void launch2d(Kernel k, int gridX, int gridY, int block, Object... args) {
        bind();
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            ps[i] = switch (args[i]) {
                case null -> Pointer.to(NULL);
                case DeviceBuffer b -> Pointer.to(b.ptr);
                case Integer v -> Pointer.to(new int[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case int[] v -> Pointer.to(v);
                default -> throw new IllegalArgumentException(k + ": unsupported kernel argument " + args[i].getClass());
            };
        }
        JCudaDriver.cuLaunchKernel(function(k), gridX, gridY, 1, block, 1, 1, 0, stream, Pointer.to(ps), null);
    }

    public void launch(Kernel k, int grid, int block, Object... args) { launch2d(k, grid, 1, block, args); }

    private CUfunction function(Kernel k) {
        CUfunction f = functions.get(k);
        if (f == null) {
            CUmodule m = modules.computeIfAbsent(k.module, name -> {
                byte[] ptx = Kernel.ptx(name);
                if (ptx == null) throw new IllegalStateException("PTX " + Kernel.resource(name) + " missing from the classpath");
                CUmodule mod = new CUmodule();
                JCudaDriver.cuModuleLoadData(mod, ptx); // the driver JIT-compiles compute_75 PTX for this GPU
                return mod;
            });
            f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, m, k.entry);
            functions.put(k, f);
        }
        return f;
    }

    /** The GEMM provider (JCublas2 or the FFM cuBLAS 13 binding), opened on first use. */
    public synchronized Gemm gemm() {
        bind();
        if (gemm == null) gemm = Gemm.open(this);
        return gemm;
    }

    /** Allocator statistics for logs and benchmarks. */
    public synchronized String memoryStats() { return allocator.stats(); }

    @Override
    public String toString() { return "cuda:" + ordinal + " (" + name + ")"; }
}
