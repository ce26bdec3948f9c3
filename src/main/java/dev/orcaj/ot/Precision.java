package dev.orcaj.ot;

/**
 * Arithmetic of the cost matrices and soft-min kernels. Dual potentials, reductions and returned values are
 * always float64; {@link #FLOAT32} stores costs in float32 and evaluates exp in float32 lanes (the fast path),
 * {@link #FLOAT64} does everything in float64 (golden tests, small problems).
 */
public enum Precision {
    FLOAT32, FLOAT64;

    public static Precision parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "f32", "single" -> FLOAT32;
            case "float64", "f64", "double" -> FLOAT64;
            default -> throw new IllegalArgumentException("precision: expected float32 or float64, got '" + s + "'");
        };
    }
}
