package dev.orcaj.io.tensorboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: uint64 length (little-endian), masked CRC32C of those 8
 * bytes, the payload, masked CRC32C of the payload. The mask (rotate right by 15, add a constant) is TensorFlow's
 * (tensorflow/core/lib/hash/crc32c.h: "it is problematic to compute the CRC of a string that contains embedded CRCs").
 */
public final class TfRecord {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {}

    public static int maskedCrc(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    public static void write(OutputStream out, byte[] payload) throws IOException {
        byte[] header = new byte[12];
        putLong(header, 0, payload.length);
        putInt(header, 8, maskedCrc(header, 0, 8));
        byte[] footer = new byte[4];
        putInt(footer, 0, maskedCrc(payload, 0, payload.length));
        out.write(header);
        out.write(payload);
        out.write(footer);
    }

    /**
     * The next record's payload; null at a clean end of file or at a record still being written (a live file's
     * incomplete tail, which the next read will see whole). A CRC that does not match is an error naming the offset.
     */
    public static byte[] read(InputStream in, long offset, String file) throws IOException {
        byte[] header = new byte[12];
        if (!readFully(in, header)) return null;
        if (getInt(header, 8) != maskedCrc(header, 0, 8)) throw new IOException(file + ": record at byte " + offset + ": length CRC does not match (not a TFRecord file, or corrupted)");
        long length = getLong(header, 0);
        if (length < 0 || length > Integer.MAX_VALUE - 16) throw new IOException(file + ": record at byte " + offset + ": length " + length + " out of range");
        byte[] payload = new byte[(int) length];
        byte[] footer = new byte[4];
        if (!readFully(in, payload) || !readFully(in, footer)) return null;
        if (getInt(footer, 0) != maskedCrc(payload, 0, payload.length)) throw new IOException(file + ": record at byte " + offset + ": data CRC does not match (corrupted)");
        return payload;
    }

    /** False when the stream ends before {@code b} is full (nothing or a partial record). */
    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) return false;
            n += r;
        }
        return true;
    }

    private static void putLong(byte[] b, int at, long v) { for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i)); }

    private static void putInt(byte[] b, int at, int v) { for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >>> (8 * i)); }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }

    private static int getInt(byte[] b, int at) {
        int v = 0;
        for (int i = 3; i >= 0; i--) v = (v << 8) | (b[at + i] & 0xFF);
        return v;
    }
}
