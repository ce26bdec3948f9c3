package dev.orcaj.backend;

import dev.orcaj.backend.cpu.CpuBackend;
import dev.orcaj.backend.ref.RefBackend;
import dev.orcaj.tensor.DType;
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

    public static Backend forTensor(Tensor t) { return forDtype(t.dtype()); }

    public static Backend forDtype(DType d) { return d == DType.F64 ? REF : f32; }

    /** Selects the F32 backend (tests compare backends by switching here). */
    public static void useForF32(Backend b) { f32 = b; }

    public static Backend currentF32() { return f32; }
}
