package dev.orcaj.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared fixture paths and hand-built byte images for the io tests. */
public final class TestFiles {
    private TestFiles() {}

    public static Path shared() {
        Path p = Path.of(System.getProperty("orcaj.shared", "../shared"));
        if (!Files.isDirectory(p)) throw new IllegalStateException("shared fixtures not found at " + p.toAbsolutePath());
        return p;
    }

    public static Path weights(String name) {
        Path p = shared().resolve("data/weights").resolve(name);
        if (!Files.exists(p)) throw new IllegalStateException("fixture missing: " + p.toAbsolutePath());
        return p;
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Concatenates byte arrays. */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    static byte[] le64(long v) { return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array(); }

    static byte[] le32(int v) { return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(); }

    static byte[] le16(int v) { return new byte[]{(byte) v, (byte) (v >>> 8)}; }

    static byte[] floatsLE(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }
}
