package dev.orcaj.io.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few protocol-buffer wire encodings an Event needs (varint, 64-bit, 32-bit, length-delimited), written by hand:
 * the messages have a handful of fields, and protobuf-java would add a 1.7 MB dependency plus code generation (or
 * descriptors) for them. Field numbers are those of TensorFlow's event.proto / summary.proto and TensorBoard's
 * hparams protos; each caller names the message and field it writes.
 */
final class ProtoWriter {
    private static final int VARINT = 0, FIXED64 = 1, BYTES = 2, FIXED32 = 5;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varint(int field, long value) {
        tag(field, VARINT);
        rawVarint(value);
        return this;
    }

    ProtoWriter doubleField(int field, double value) {
        tag(field, FIXED64);
        long bits = Double.doubleToRawLongBits(value);
        for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
        return this;
    }

    ProtoWriter floatField(int field, float value) {
        tag(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
        return this;
    }

    ProtoWriter string(int field, String value) { return bytes(field, value.getBytes(StandardCharsets.UTF_8)); }

    ProtoWriter message(int field, ProtoWriter message) { return bytes(field, message.toBytes()); }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, BYTES);
        rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    byte[] toBytes() { return out.toByteArray(); }

    private void tag(int field, int wireType) { rawVarint(((long) field << 3) | wireType); }

    private void rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
