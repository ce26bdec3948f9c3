package dev.orcaj.backend.cuda;

/**
 * One CUDA device as the backend sees it: buffers, host/device copies, kernel launches and GEMM, all queued in
 * order on one stream. The public methods are synchronized (calls from several threads serialise) and bind the
 * device to the calling thread first. {@link JCudaDevice} is the real GPU; the tests also run these same calls on
 * a CPU emulation of the kernels (src/test), which is why the transport is behind the package-private hooks.
 */
public abstract class CudaDevice {
    public final int ordinal;
    public final String name;
    private Gemm gemm;
    private final DeviceAllocator allocator = new DeviceAllocator(this::doAllocate, this::doSynchronize);
    private long uploads, downloads, launches;

    CudaDevice(int ordinal, String name) {
        this.ordinal = ordinal;
        this.name = name;
    }

    abstract void bind();

    /** A fresh block of exactly {@code capacity} bytes whose close() gives it back to the device (the allocator caches blocks). */
    abstract DeviceBuffer doAllocate(long capacity);

    abstract void doUpload(float[] src, int off, int len, DeviceBuffer dst);

    abstract void doUpload(int[] src, DeviceBuffer dst);

    abstract void doDownload(DeviceBuffer b, float[] dst, int off, int len);

    abstract void doDownload(DeviceBuffer b, int[] dst);

    abstract void doZero(DeviceBuffer b, int n);

    abstract void doSynchronize();

    abstract void doLaunch(Kernel k, int gridX, int gridY, int block, Object[] args);

    abstract Gemm openGemm();

    /** A buffer of at least {@code bytes} from the caching allocator; close() returns it to the cache (any thread). */
    public synchronized DeviceBuffer allocate(long bytes) {
        bind();
        return allocator.allocate(bytes);
    }

    public synchronized DeviceBuffer upload(float[] src) { return upload(src, 0, src.length); }

    public synchronized DeviceBuffer upload(float[] src, int off, int len) {
        DeviceBuffer b = allocate(4L * len);
        uploadInto(src, off, len, b);
        return b;
    }

    /** Overwrites the first {@code len} floats of dst with {@code src[off, off + len)}. */
    public synchronized void uploadInto(float[] src, int off, int len, DeviceBuffer dst) {
        bind();
        if (len > 0) {
            uploads++;
            doUpload(src, off, len, dst);
        }
    }

    public synchronized DeviceBuffer upload(int[] src) {
        DeviceBuffer b = allocate(4L * src.length);
        if (src.length > 0) {
            uploads++;
            doUpload(src, b);
        }
        return b;
    }

    public synchronized float[] download(DeviceBuffer b, int len) {
        float[] out = new float[len];
        download(b, out, 0, len);
        return out;
    }

    public synchronized void download(DeviceBuffer b, float[] dst, int off, int len) {
        bind();
        if (len > 0) {
            downloads++;
            doDownload(b, dst, off, len);
        }
    }

    public synchronized int[] downloadInts(DeviceBuffer b, int len) {
        bind();
        int[] out = new int[len];
        if (len > 0) {
            downloads++;
            doDownload(b, out);
        }
        return out;
    }

    /** Sets {@code n} floats of b to zero (queued on the stream). */
    public synchronized void zero(DeviceBuffer b, int n) {
        bind();
        if (n > 0) doZero(b, n);
    }

    public synchronized void synchronize() {
        bind();
        doSynchronize();
    }

    /** Grid size for a grid-stride loop over n elements with 256-thread blocks (capped; the loop covers the rest). */
    static int gridFor(long n) { return (int) Math.max(1, Math.min((n + 255) / 256, 65_535)); }

    /**
     * Queues a kernel on a 2-D grid. Arguments in kernel order: {@link DeviceBuffer} (device pointer), null (null
     * pointer), Integer, Float, or int[] (a by-value struct such as {@code View}, packed as ints).
     */
    public synchronized void launch2d(Kernel k, int gridX, int gridY, int block, Object... args) {
        bind();
        launches++;
        doLaunch(k, gridX, gridY, block, args);
    }

    public void launch(Kernel k, int grid, int block, Object... args) { launch2d(k, grid, 1, block, args); }

    /** The GEMM provider (JCublas2 or the FFM cuBLAS 13 binding on a GPU), opened on first use. */
    public synchronized Gemm gemm() {
        bind();
        if (gemm == null) gemm = openGemm();
        return gemm;
    }

    /** Allocator statistics for logs and benchmarks. */
    public synchronized String memoryStats() { return allocator.stats(); }

    /** Bytes held from the device (live and cached blocks); stays flat over training steps when the cache reuses blocks. */
    public synchronized long reservedBytes() { return allocator.reservedBytes(); }

    /** Host-to-device plus device-to-host copies so far (each upload or download call is one). */
    public synchronized long transfers() { return uploads + downloads; }

    public synchronized long downloads() { return downloads; }

    /** Kernel launches so far (GEMMs not included). */
    public synchronized long launches() { return launches; }

    @Override
    public String toString() { return "cuda:" + ordinal + " (" + name + ")"; }
}
