package dev.orcaj.io;

import java.util.Locale;

/**
 * Element types of stored arrays. {@link #safetensorsName} is the dtype string of the safetensors header;
 * {@link #npyDescr} the little-endian NumPy descriptor (null where .npy has none, as for bfloat16).
 */
public enum DType {
    F32(4, "F32", "<f4", true),
    F16(2, "F16", "<f2", true),
    BF16(2, "BF16", null, true),
    F64(8, "F64", "<f8", true),
    I64(8, "I64", "<i8", false),
    I32(4, "I32", "<i4", false),
    U8(1, "U8", "|u1", false),
    BOOL(1, "BOOL", "|b1", false);

    private final int byteSize;
    private final String safetensorsName;
    private final String npyDescr;
    private final boolean floating;

    DType(int byteSize, String safetensorsName, String npyDescr, boolean floating) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
        this.npyDescr = npyDescr;
        this.floating = floating;
    }

    public int byteSize() { return byteSize; }

    public String safetensorsName() { return safetensorsName; }

    /** NumPy descriptor such as {@code <f4}; null when NumPy has no such type (BF16). */
    public String npyDescr() { return npyDescr; }

    public boolean isFloating() { return floating; }

    /** Parses a safetensors dtype string; null when it is not one of the supported types. */
    public static DType fromSafetensors(String name) {
        for (DType t : values()) if (t.safetensorsName.equals(name)) return t;
        return null;
    }

    /**
     * Parses a NumPy descriptor; null when unsupported. '=' (native) is read as little-endian, and
     * '<' / '|' are interchangeable for one-byte types, as NumPy itself writes either.
     */
    public static DType fromNpyDescr(String descr) {
        String d = descr.toLowerCase(Locale.ROOT);
        if (d.length() < 2) return null;
        if (d.startsWith("=")) d = "<" + d.substring(1);
        for (DType t : values()) {
            if (t.npyDescr == null) continue;
            if (t.npyDescr.equals(d)) return t;
            if (t.byteSize == 1 && t.npyDescr.substring(1).equals(d.substring(1)) && (d.startsWith("<") || d.startsWith("|"))) return t;
        }
        return null;
    }
}
