package dev.orcaj.backend.cuda;

import jcuda.driver.JCudaDriver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Entry point of the CUDA backend: whether a usable GPU exists, and the per-ordinal {@link CudaDevice}s.
 * {@link #available()} never throws; when it is false, {@link #unavailableReason()} says why (JCuda's native
 * library failed to load, e.g. no libcuda.so.1 / no NVIDIA driver; cuInit failed; no device; PTX missing
 * because the jar was built without nvcc).
 */
public final class Cuda {
    static final Logger LOG = Logger.getLogger("dev.orcaj.backend.cuda");
    private static final ConcurrentHashMap<Integer, CudaDevice> DEVICES = new ConcurrentHashMap<>();
    private static volatile Probe probe;

    private Cuda() {}

    /** Result of the one-time driver probe. */
    private record Probe(int deviceCount, String reason) {}

    public static boolean available() { return probe().reason == null; }

    /** Why {@link #available()} is false, or null when it is true. */
    public static String unavailableReason() { return probe().reason; }

    /** Number of CUDA devices (0 when unavailable). */
    public static int deviceCount() { return probe().deviceCount; }

    /** The device with this ordinal (created on first use, then shared); throws with the reason when unusable. */
    public static CudaDevice device(int ordinal) {
        Probe p = probe();
        if (p.reason != null) throw new IllegalStateException("CUDA unavailable: " + p.reason);
        if (ordinal < 0 || ordinal >= p.deviceCount) {
            throw new IllegalArgumentException("cuda:" + ordinal + ": no such device (found " + p.deviceCount + ")");
        }
        return DEVICES.computeIfAbsent(ordinal, JCudaDevice::new);
    }

    private static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (Cuda.class) {
                if (probe == null) probe = runProbe();
                p = probe;
            }
        }
        return p;
    }

    private static Probe runProbe() {
        String missing = Kernel.missingPtx();
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) return new Probe(0, "the CUDA driver reports no device");
            if (missing != null) return new Probe(count[0], missing);
            return new Probe(count[0], null);
        } catch (LinkageError e) { // UnsatisfiedLinkError, NoClassDefFoundError from JCuda's static initialiser
            return new Probe(0, "JCuda native library could not be loaded (no NVIDIA driver / libcuda.so.1?): " + firstLine(e));
        } catch (RuntimeException e) { // jcuda.CudaException from cuInit, e.g. CUDA_ERROR_NO_DEVICE, driver too old
            return new Probe(0, "CUDA driver initialisation failed: " + firstLine(e));
        }
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
