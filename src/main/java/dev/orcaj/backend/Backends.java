package dev.orcaj.backend;

import dev.orcaj.backend.cpu.CpuBackend;
import dev.orcaj.backend.ref.RefBackend;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Tensor;

/**
 * Chooses the backend for an op. F64 always runs on the reference backend (it exists for gradient checks and
 * precise reference runs); F32 runs on the vectorized CPU backend unless {@code -Dorcaj.backend=ref} or
 * {@code ORCAJ_BACKEND=ref} selects the scalar reference everywhere.
 */
public final class Backends {
    public static final Backend REF = new RefBackend();
    public static final Backend CPU = new CpuBackend();
    private static volatile Backend f32 = fromSettings();

    private Backends() {}

    private static Backend fromSettings() {
        String s = System.getProperty("orcaj.backend", System.getenv().getOrDefault("ORCAJ_BACKEND", "cpu"));
        return switch (s) {
            case "ref" -> REF;
            case "cpu" -> CPU;
            default -> throw new IllegalArgumentException("orcaj.backend: unknown backend '" + s + "' (expected cpu or ref)");
        };
    }

    /**
     * The backend of the device the tensor lives on (a device-resident storage's {@link Device} is its backend),
     * else by dtype.
     */
    public static Backend forTensor(Tensor t) {
        Device d = t.storage().device();
        return d != Device.CPU && d instanceof Backend b ? b : forDtype(t.dtype());
    }

    /**
     * The backend for an op over several operands: that of the first one resident on a device (host operands are
     * copied to it), else by the first operand's dtype. Routing by residence keeps device data on the device.
     */
    public static Backend forTensors(Tensor... ts) {
        for (Tensor t : ts) if (t != null && t.storage().device() != Device.CPU) return forTensor(t);
        return forTensor(ts[0]);
    }

    private static volatile Device modelDevice = Device.CPU;

    /** Where new models are placed (the CLI's {@code --device}); the CPU unless set. */
    public static Device modelDevice() { return modelDevice; }

    public static void placeModelsOn(Device d) { modelDevice = d; }

    public static Backend forDtype(DType d) { return d == DType.F64 ? REF : f32; }

    /** Selects the F32 backend (tests compare backends by switching here). */
    public static void useForF32(Backend b) { f32 = b; }

    public static Backend currentF32() { return f32; }
}
