package dev.orcaj.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protobuf wire-format reader (protobuf.dev "Encoding"): each field is a varint key
 * {@code (field_number << 3) | wire_type}; wire types 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 * Length-delimited payloads are returned as views, not copies.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    private final ByteBuffer buf;
    private final String what;
    private int field;
    private int wireType;

    ProtoReader(ByteBuffer bytes, String what) {
        this.buf = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.what = what;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (!buf.hasRemaining()) return false;
        long key = varint();
        field = (int) (key >>> 3);
        wireType = (int) (key & 7);
        if (field == 0) throw error("field number 0");
        return true;
    }

    int field() { return field; }

    int wireType() { return wireType; }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!buf.hasRemaining()) throw error("truncated varint");
            byte b = buf.get();
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw error("varint longer than 10 bytes");
    }

    ByteBuffer bytes() {
        long len = varint();
        if (len < 0 || len > buf.remaining()) throw error("length " + len + " exceeds the " + buf.remaining() + " bytes left");
        ByteBuffer out = buf.slice(buf.position(), (int) len).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + (int) len);
        return out;
    }

    String string() { return StandardCharsets.UTF_8.decode(bytes()).toString(); }

    int fixed32() { need(4); return buf.getInt(); }

    long fixed64() { need(8); return buf.getLong(); }

    void skip() {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> { need(8); buf.position(buf.position() + 8); }
            case LEN -> bytes();
            case FIXED32 -> { need(4); buf.position(buf.position() + 4); }
            default -> throw error("unsupported wire type " + wireType + " (field " + field + ")");
        }
    }

    /** A repeated varint field, accepting both packed (one LEN record) and unpacked encodings. */
    void readVarints(java.util.function.LongConsumer sink) {
        if (wireType == LEN) {
            ProtoReader packed = new ProtoReader(bytes(), what);
            while (packed.buf.hasRemaining()) sink.accept(packed.varint());
        } else {
            sink.accept(varint());
        }
    }

    /** A repeated fixed32 field (float), packed or not. */
    void readFixed32s(java.util.function.IntConsumer sink) {
        if (wireType == LEN) {
            ByteBuffer b = bytes();
            if (b.remaining() % 4 != 0) throw error("packed fixed32 length " + b.remaining() + " is not a multiple of 4");
            while (b.hasRemaining()) sink.accept(b.getInt());
        } else {
            sink.accept(fixed32());
        }
    }

    /** A repeated fixed64 field (double), packed or not. */
    void readFixed64s(java.util.function.LongConsumer sink) {
        if (wireType == LEN) {
            ByteBuffer b = bytes();
            if (b.remaining() % 8 != 0) throw error("packed fixed64 length " + b.remaining() + " is not a multiple of 8");
            while (b.hasRemaining()) sink.accept(b.getLong());
        } else {
            sink.accept(fixed64());
        }
    }

    private void need(int n) { if (buf.remaining() < n) throw error("truncated fixed-size field"); }

    private OnnxFormatException error(String msg) {
        return new OnnxFormatException(what + ": malformed protobuf: " + msg + " at byte " + buf.position());
    }
}
