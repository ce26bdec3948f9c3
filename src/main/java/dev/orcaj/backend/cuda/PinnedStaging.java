package dev.orcaj.backend.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One page-locked host buffer through which every host/device copy passes: Java arrays live in pageable heap
 * memory, and copies from pinned memory run at full PCIe/NVLink speed and asynchronously on the stream. The
 * buffer grows (doubling) to the largest transfer seen. Each copy waits for its stream before the buffer is
 * reused, so transfers are synchronous from the caller's view (documented first-version behaviour).
 */
final class PinnedStaging {
    private Pointer host;
    private ByteBuffer view;
    private long capacity;

    private ByteBuffer ensure(long bytes) {
        if (bytes > capacity) {
            if (host != null) JCudaDriver.cuMemFreeHost(host);
            long cap = Math.max(bytes, Math.max(1L << 20, capacity * 2));
            host = new Pointer();
            JCudaDriver.cuMemAllocHost(host, cap);
            view = host.getByteBuffer(0, cap).order(ByteOrder.nativeOrder());
            capacity = cap;
        }
        view.clear();
        return view;
    }

    void upload(float[] src, int off, int len, CUdeviceptr dst, CUstream stream) {
        if (len == 0) return;
        ensure(4L * len).asFloatBuffer().put(src, off, len);
        JCudaDriver.cuMemcpyHtoDAsync(dst, host, 4L * len, stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    void upload(int[] src, CUdeviceptr dst, CUstream stream) {
        if (src.length == 0) return;
        ensure(4L * src.length).asIntBuffer().put(src);
        JCudaDriver.cuMemcpyHtoDAsync(dst, host, 4L * src.length, stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    void download(CUdeviceptr src, float[] dst, int off, int len, CUstream stream) {
        if (len == 0) return;
        ByteBuffer b = ensure(4L * len);
        JCudaDriver.cuMemcpyDtoHAsync(host, src, 4L * len, stream);
        JCudaDriver.cuStreamSynchronize(stream);
        b.asFloatBuffer().get(dst, off, len);
    }

    void download(CUdeviceptr src, int[] dst, CUstream stream) {
        if (dst.length == 0) return;
        ByteBuffer b = ensure(4L * dst.length);
        JCudaDriver.cuMemcpyDtoHAsync(host, src, 4L * dst.length, stream);
        JCudaDriver.cuStreamSynchronize(stream);
        b.asIntBuffer().get(dst);
    }

    void close() {
        if (host != null) JCudaDriver.cuMemFreeHost(host);
        host = null;
        capacity = 0;
    }
}
