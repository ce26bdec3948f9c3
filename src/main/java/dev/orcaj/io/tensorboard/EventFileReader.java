package dev.orcaj.io.tensorboard;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the scalar summaries back from event files (for the dashboard's live curves): every {@code Event.summary.value}
 * with a {@code simple_value}. Other values (the hparams plugin's records) are skipped. A partial record at the end of
 * a file being written is left for the next read; a CRC mismatch is an error.
 */
public final class EventFileReader {
    public record Scalar(String tag, long step, double wallTime, double value) {}

    private EventFileReader() {}

    public static List<Scalar> read(Path file) throws IOException { return readFrom(file, 0).scalars(); }

    /** The scalars of the whole records from byte {@code offset} on, and the offset after the last whole record. */
    public record Chunk(List<Scalar> scalars, long end) {}

    /**
     * Reads the records from {@code offset} (0, or the {@link Chunk#end()} of an earlier read of the same file: a live
     * file is read on from where the last read stopped).
     */
    public static Chunk readFrom(Path file, long offset) throws IOException {
        List<Scalar> out = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(offset);
            for (byte[] record; (record = TfRecord.read(in, offset, file.toString())) != null; offset += record.length + 16) {
                try {
                    event(record, out);
                } catch (IndexOutOfBoundsException e) {
                    throw new IOException(file + ": record at byte " + offset + ": not an Event message", e);
                }
            }
        }
        return new Chunk(out, offset);
    }

    /** Event{wall_time = 1 (double), step = 2 (varint), summary = 5 {value = 1 {tag = 1, simple_value = 2 (float)}}}. */
    private static void event(byte[] b, List<Scalar> out) {
        double wallTime = 0;
        long step = 0;
        List<byte[]> values = new ArrayList<>();
        for (Wire w = new Wire(b, 0, b.length); w.more(); ) {
            int key = (int) w.varint();
            switch (key) {
                case (1 << 3) | 1 -> wallTime = Double.longBitsToDouble(w.fixed64());
                case (2 << 3) -> step = w.varint();
                case (5 << 3) | 2 -> {
                    Wire summary = w.sub();
                    while (summary.more()) {
                        int k = (int) summary.varint();
                        if (k == ((1 << 3) | 2)) values.add(summary.bytes());
                        else summary.skip(k);
                    }
                }
                default -> w.skip(key);
            }
        }
        for (byte[] v : values) {
            String tag = null;
            Float simple = null;
            for (Wire w = new Wire(v, 0, v.length); w.more(); ) {
                int key = (int) w.varint();
                if (key == ((1 << 3) | 2)) tag = new String(w.bytes(), StandardCharsets.UTF_8);
                else if (key == ((2 << 3) | 5)) simple = Float.intBitsToFloat(w.fixed32());
                else w.skip(key);
            }
            if (tag != null && simple != null) out.add(new Scalar(tag, step, wallTime, simple));
        }
    }

    /** A cursor over protobuf wire bytes; a read past the end throws IndexOutOfBoundsException. */
    private static final class Wire {
        private final byte[] b;
        private int at;
        private final int end;

        Wire(byte[] b, int from, int end) {
            this.b = b;
            this.at = from;
            this.end = end;
        }

        boolean more() { return at < end; }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = next();
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) return v;
            }
            throw new IndexOutOfBoundsException("varint longer than 10 bytes");
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) v |= (long) (next() & 0xFF) << (8 * i);
            return v;
        }

        int fixed32() {
            int v = 0;
            for (int i = 0; i < 4; i++) v |= (next() & 0xFF) << (8 * i);
            return v;
        }

        byte[] bytes() {
            int n = length();
            byte[] r = java.util.Arrays.copyOfRange(b, at, at + n);
            at += n;
            return r;
        }

        Wire sub() {
            int n = length();
            Wire w = new Wire(b, at, at + n);
            at += n;
            return w;
        }

        void skip(int key) {
            switch (key & 7) {
                case 0 -> varint();
                case 1 -> fixed64();
                case 2 -> {
                    int n = length(); // not `at += length()`: Java reads `at` before length() moves it
                    at += n;
                }
                case 5 -> fixed32();
                default -> throw new IndexOutOfBoundsException("wire type " + (key & 7));
            }
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > end - at) throw new IndexOutOfBoundsException("length " + n + " past the end");
            return (int) n;
        }

        private byte next() {
            if (at >= end) throw new IndexOutOfBoundsException("message ends early");
            return b[at++];
        }
    }
}
