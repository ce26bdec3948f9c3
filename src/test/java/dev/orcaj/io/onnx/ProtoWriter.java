package dev.orcaj.io.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test-side protobuf encoder (protobuf.dev "Encoding") to build ONNX messages by hand. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varintField(int field, long v) { key(field, 0); varint(v); return this; }

    ProtoWriter bytesField(int field, byte[] b) { key(field, 2); varint(b.length); out.writeBytes(b); return this; }

    ProtoWriter stringField(int field, String s) { return bytesField(field, s.getBytes(StandardCharsets.UTF_8)); }

    ProtoWriter messageField(int field, ProtoWriter m) { return bytesField(field, m.toBytes()); }

    ProtoWriter fixed32Field(int field, int bits) {
        key(field, 5);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    ProtoWriter raw(byte[] b) { out.writeBytes(b); return this; }

    byte[] toBytes() { return out.toByteArray(); }

    private void key(int field, int wireType) { varint(((long) field << 3) | wireType); }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) { out.write((int) ((v & 0x7F) | 0x80)); v >>>= 7; }
        out.write((int) v);
    }
}
