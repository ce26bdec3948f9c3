package dev.orcaj.tensor;

/**
 * A flat buffer: F32 or F64 ({@code d}, host only). Views share a Storage. An F32 storage may be resident on an
 * accelerator ({@link #device()} other than {@link Device#CPU}): its data then lives in {@link DeviceMemory} and the
 * host array is a lazy mirror (docs/CUDA.md): filled by one download when host code first reads after the device
 * changed the data, and marked stale for the device when host code may have written it, so that the next device op
 * uploads it once. Host code reads with {@link #readF()} or {@link #get}, and writes through {@link #f()} or
 * {@link #set}. Element access through get/set is for reference code; kernels use the arrays directly.
 */
public final class Storage {
    public final DType dtype;
    public final double[] d;
    private final int length;
    private float[] f;
    // volatile: host-only storages (the common case) answer readF/f/get/device with plain reads, no lock
    private volatile DeviceMemory memory; // non-null: resident on memory.device()
    private volatile boolean hostStale;   // the device holds data the host mirror lacks
    private boolean deviceStale;          // the host mirror holds data the device lacks (guarded by this)
    BufferPool.Step owner;                // the step whose pool the array came from (null: an ordinary storage)
    private boolean released;             // the array went back to the pool: every access throws

    private Storage(DType dtype, float[] f, double[] d, int length) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.length = length;
    }

    public static Storage allocate(DType dtype, int n) {
        if (dtype == DType.F32) {
            Storage pooled = BufferPool.allocate(n);
            if (pooled != null) return pooled;
        }
        return dtype == DType.F32 ? new Storage(dtype, new float[n], null, n) : new Storage(dtype, null, new double[n], n);
    }

    static Storage pooled(float[] data, BufferPool.Step owner) {
        Storage s = new Storage(DType.F32, data, null, data.length);
        s.owner = owner;
        return s;
    }

    /**
     * Gives the array back (BufferPool): from now on every access throws. Host reads already test the volatile
     * {@code hostStale}, so setting it routes them to {@link #syncHost}, which throws: the hot path gains no test.
     */
    synchronized float[] release() {
        float[] a = memory == null ? f : null;
        released = true;
        f = null;
        memory = null;
        hostStale = true;
        return a;
    }

    boolean isReleased() { return released; }

    public static Storage wrap(float[] data) { return new Storage(DType.F32, data, null, data.length); }

    public static Storage wrap(double[] data) { return new Storage(DType.F64, null, data, data.length); }

    /** An F32 storage of {@code n} elements whose data is {@code memory} (an op's result on a device); no host array yet. */
    public static Storage onDevice(DeviceMemory memory, int n) {
        Storage s = new Storage(DType.F32, null, null, n);
        s.memory = memory;
        s.hostStale = true;
        return s;
    }

    public int length() { return length; }

    public Device device() {
        DeviceMemory m = memory;
        return m == null ? Device.CPU : m.device();
    }

    /** The F32 host array for reading only (downloads once if the device changed the data); null for F64. */
    public float[] readF() { return hostStale ? syncHost() : f; }

    private synchronized float[] syncHost() {
        if (released) {
            throw new IllegalStateException("tensor data used after its training step closed: the buffer went back to the BufferPool"
                    + " (keep() what must outlive the step, or take it outside the step)");
        }
        if (hostStale) {
            if (f == null) f = new float[length];
            memory.download(f);
            hostStale = false;
        }
        return f;
    }

    /** The F32 host array for reading and writing: the device copy, if any, is re-uploaded before its next use. */
    public float[] f() {
        float[] a = readF();
        if (memory != null) markDeviceStale();
        return a;
    }

    private synchronized void markDeviceStale() { if (memory != null) deviceStale = true; }

    /**
     * The device data for an op of {@code device}'s backend (uploading host writes first), or null when this
     * storage is not resident there.
     */
    public synchronized DeviceMemory deviceMemory(Device device) {
        if (memory == null || memory.device() != device) return null;
        if (deviceStale) {
            memory.upload(f);
            deviceStale = false;
        }
        return memory;
    }

    /** A device op wrote this storage's device data in place (an optimizer step): the host mirror is stale. */
    public synchronized void deviceWritten() {
        if (memory == null) throw new IllegalStateException("deviceWritten: this storage is not on a device");
        hostStale = true;
    }

    /**
     * Moves the data in place (every view of this storage follows): to an accelerator with one upload, or back to
     * the host with one download. F64 storages stay on the host.
     */
    public synchronized void moveTo(Device device) {
        if (device() == device) return;
        if (dtype != DType.F32) throw new IllegalArgumentException("only F32 storages can live on " + device.name() + " (this one is " + dtype + ")");
        float[] host = readF();
        if (device == Device.CPU) {
            memory = null;
        } else {
            DeviceMemory m = device.allocateCopy(host, 0, length);
            hostStale = true; // before the array goes: a lock-free reader sees stale (and syncs) or the old array
            memory = m;
            f = null; // the host mirror is rebuilt on the next host read
        }
        deviceStale = false;
    }

    public double get(int i) { return d != null ? d[i] : readF()[i]; }

    public void set(int i, double v) {
        if (d != null) d[i] = v; else f()[i] = (float) v;
    }
}
