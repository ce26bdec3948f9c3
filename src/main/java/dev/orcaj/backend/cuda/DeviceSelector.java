package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.Backends;

import java.util.function.IntFunction;

/**
 * Parses the CLI's {@code --device} value ({@code cpu}, {@code cuda} or {@code cuda:N}) into the F32 backend to
 * use. A CUDA request that cannot be served (no driver, no such device, PTX missing, context creation failed)
 * falls back to the CPU backend with a message naming the reason; a malformed value is an error.
 */
public final class DeviceSelector {
    private DeviceSelector() {}

    /** The chosen backend, whether it is the requested one, and a one-line message for the log. */
    public record Selection(Backend backend, boolean fellBack, String message) {}

    public static Selection select(String spec) {
        return select(spec, Cuda.available() ? null : Cuda.unavailableReason(), Cuda.deviceCount(),
                ordinal -> new CudaBackend(Cuda.device(ordinal)));
    }

    /** The decision with the environment passed in (tests drive both branches without a GPU). */
    static Selection select(String spec, String unavailableReason, int deviceCount, IntFunction<Backend> openCuda) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return new Selection(Backends.CPU, false, "device: cpu");
        int ordinal = parseCuda(s, spec);
        String requested = "cuda:" + ordinal;
        if (unavailableReason != null) return fallback(requested, unavailableReason);
        if (ordinal >= deviceCount) return fallback(requested, "no such device (found " + deviceCount + ")");
        try {
            Backend b = openCuda.apply(ordinal);
            return new Selection(b, false, "device: " + b.name());
        } catch (RuntimeException | LinkageError e) {
            return fallback(requested, "could not open it: " + Cuda.firstLine(e));
        }
    }

    private static int parseCuda(String s, String original) {
        if (s.equals("cuda")) return 0;
        if (s.startsWith("cuda:")) {
            try {
                int n = Integer.parseInt(s.substring(5));
                if (n >= 0) return n;
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("--device: expected cpu, cuda or cuda:N (N >= 0), got '" + original + "'");
    }

    private static Selection fallback(String requested, String reason) {
        // not logged here: the caller prints the message once (logging it as well printed the fallback twice)
        return new Selection(Backends.CPU, true, "device: " + requested + " requested but unavailable (" + reason + "); running on cpu");
    }
}
