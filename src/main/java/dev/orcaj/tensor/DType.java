package dev.orcaj.tensor;

/** Element types. F32 is the working type; F64 exists for gradient checks and precise reference runs. */
public enum DType {
    F32(4), F64(8);

    public final int bytes;

    DType(int bytes) { this.bytes = bytes; }
}
