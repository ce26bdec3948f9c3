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
 * A real GPU through JCuda's driver API: the primary context (made current before every call), one non-blocking
 * stream on which every copy, kernel and GEMM is queued, the pinned staging buffer and the
 * PTX modules (loaded on first launch; the driver JIT-compiles the compute_75 PTX for the GPU).
 */
final class JCudaDevice extends CudaDevice {
    private static final CUdeviceptr NULL = new CUdeviceptr();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final PinnedStaging staging = new PinnedStaging();
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final EnumMap<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);

    JCudaDevice(int ordinal) {
        super(ordinal, nameOf(ordinal));
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, ordinal);
        JCudaDriver.cuDevicePrimaryCtxRetain(context, dev);
        JCudaDriver.cuCtxSetCurrent(context);
        JCudaDriver.cuStreamCreate(stream, jcuda.driver.CUstream_flags.CU_STREAM_NON_BLOCKING);
        Cuda.LOG.info("cuda:" + ordinal + " " + name + " ready");
    }

    private static String nameOf(int ordinal) {
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, ordinal);
        byte[] nm = new byte[256];
        JCudaDriver.cuDeviceGetName(nm, nm.length, dev);
        int len = 0;
        while (len < nm.length && nm[len] != 0) len++;
        return new String(nm, 0, len, StandardCharsets.US_ASCII);
    }

    CUstream stream() { return stream; }

    @Override void bind() { JCudaDriver.cuCtxSetCurrent(context); }

    @Override
    DeviceBuffer doAllocate(long capacity) {
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, capacity); // throws CudaException when out of memory (the allocator reclaims and retries)
        return new DeviceBuffer(p, null, capacity, capacity, b -> JCudaDriver.cuMemFree(b.ptr));
    }

    @Override void doUpload(float[] src, int off, int len, DeviceBuffer dst) { staging.upload(src, off, len, dst.ptr, stream); }

    @Override void doUpload(int[] src, DeviceBuffer dst) { staging.upload(src, dst.ptr, stream); }

    @Override void doDownload(DeviceBuffer b, float[] dst, int off, int len) { staging.download(b.ptr, dst, off, len, stream); }

    @Override void doDownload(DeviceBuffer b, int[] dst) { staging.download(b.ptr, dst, stream); }

    @Override void doZero(DeviceBuffer b, int n) { JCudaDriver.cuMemsetD32Async(b.ptr, 0, n, stream); }

    @Override void doSynchronize() { JCudaDriver.cuStreamSynchronize(stream); }

    @Override
    void doLaunch(Kernel k, int gridX, int gridY, int block, Object[] args) {
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

    private CUfunction function(Kernel k) {
        CUfunction f = functions.get(k);
        if (f == null) {
            CUmodule m = modules.computeIfAbsent(k.module, name -> {
                byte[] ptx = Kernel.ptx(name);
                if (ptx == null) throw new IllegalStateException("PTX " + Kernel.resource(name) + " missing from the classpath");
                CUmodule mod = new CUmodule();
                JCudaDriver.cuModuleLoadData(mod, ptx);
                return mod;
            });
            f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, m, k.entry);
            functions.put(k, f);
        }
        return f;
    }

    @Override Gemm openGemm() { return Gemm.open(this); }
}
