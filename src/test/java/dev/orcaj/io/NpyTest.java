package dev.orcaj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.orcaj.io.TestFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @TempDir
    Path tmp;

    /** A .npy image assembled by hand: magic, version, header length (2 or 4 bytes), header text, data. */
    private static byte[] npy(int major, String dict, byte[] data) {
        byte[] header = ascii(dict + "\n");
        byte[] len = major == 1 ? le16(header.length) : le32(header.length);
        return concat(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0}, len, header, data);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(tmp.resolve(name), bytes);
    }

    @Test
    void readsFixtureInt64AndFloat32Arrays() throws IOException {
        NdArray ids = Npy.read(weights("tiny-roberta/input_ids.npy"));
        assertEquals(DType.I64, ids.dtype());
        assertArrayEquals(new long[]{2, 12}, ids.shape());
        long[] v = ids.toLongs();
        // values printed by numpy.load for this fixture
        assertArrayEquals(new long[]{0, 888, 641, 766, 85, 445, 885, 339, 207, 304, 45, 2}, java.util.Arrays.copyOfRange(v, 0, 12));
        assertArrayEquals(new long[]{0, 253, 420, 61, 193, 437, 886, 918, 2, 1, 1, 1}, java.util.Arrays.copyOfRange(v, 12, 24));

        NdArray emb = Npy.read(weights("tiny-roberta/embedding_output.npy"));
        assertEquals(DType.F32, emb.dtype());
        assertArrayEquals(new long[]{2, 12, 64}, emb.shape());
        float[] e = emb.toFloats();
        assertEquals(-0.36336616f, e[0]);
        assertEquals(0.50400525f, e[1]);
        assertEquals(-0.51067936f, e[e.length - 1]);

        float[] px = Npy.read(weights("tiny-swin/pixel_values.npy")).toFloats();
        assertEquals(2 * 3 * 32 * 32, px.length);
        assertEquals(-0.24705516f, px[px.length - 1]);
    }

    @Test
    void readsEveryFixtureNpyFileAndItsHeaderIsAligned() throws IOException {
        int count = 0;
        try (var dirs = Files.list(shared().resolve("data/weights"))) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".npy")).toList()) {
                        NdArray a = Npy.read(f);
                        assertTrue(a.dtype() == DType.F32 || a.dtype() == DType.I64, f + " is " + a);
                        assertEquals(0, (Files.size(f) - a.byteSize()) % 64, f + ": numpy aligns the header to 64 bytes");
                        count++;
                    }
                }
            }
        }
        assertTrue(count >= 20, "expected the fixture .npy files, found " + count);
    }

    @Test
    void readsHeaderVersions2And3() throws IOException {
        byte[] data = floatsLE(1.5f, -2f);
        for (int major : new int[]{2, 3}) {
            NdArray a = Npy.read(file("v" + major + ".npy", npy(major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data)));
            assertArrayEquals(new float[]{1.5f, -2f}, a.toFloats());
            assertArrayEquals(new long[]{2}, a.shape());
        }
    }

    @Test
    void fortranOrderIsConvertedToCOrder() throws IOException {
        // 2x3 matrix [[1,2,3],[4,5,6]] stored column by column: 1,4,2,5,3,6
        NdArray m = Npy.read(file("f.npy", npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(4).putDouble(2).putDouble(5).putDouble(3).putDouble(6).array())));
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, m.toDoubles());

        // 3-D: element (i,j,k) of shape (2,3,4) holds 100i + 10j + k; Fortran offset = i + 2j + 6k
        int[] fData = new int[24];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) fData[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
        ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : fData) b.putInt(x);
        int[] c = Npy.read(file("f3.npy", npy(1, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", b.array()))).toInts();
        int n = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) assertEquals(100 * i + 10 * j + k, c[n++]);
    }

    @Test
    void readsHalfUint8AndBool() throws IOException {
        assertArrayEquals(new float[]{1f, -2f}, Npy.read(file("h.npy", npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }",
                concat(le16(0x3C00), le16(0xC000))))).toFloats());
        NdArray u = Npy.read(file("u.npy", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[]{(byte) 200, 1, 0})));
        assertArrayEquals(new int[]{200, 1, 0}, u.toInts());
        NdArray bo = Npy.read(file("b.npy", npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (1, 2), }", new byte[]{1, 0})));
        assertEquals(DType.BOOL, bo.dtype());
        assertArrayEquals(new long[]{1, 0}, bo.toLongs());
    }

    @Test
    void writeThenReadRoundTripsEveryNpyType() throws IOException {
        Map<String, NdArray> cases = new LinkedHashMap<>();
        cases.put("f32", NdArray.ofFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        cases.put("f64", NdArray.ofDoubles(new double[]{Math.PI}, 1));
        cases.put("i64", NdArray.ofLongs(new long[]{Long.MIN_VALUE, 5}, 2));
        cases.put("i32", NdArray.ofInts(new int[]{7}, new int[0]));
        cases.put("u8", NdArray.ofUnsignedBytes(new byte[]{(byte) 255, 3}, 2, 1));
        cases.put("bool", NdArray.ofBooleans(new boolean[]{true, false}, 2));
        cases.put("f16", NdArray.ofFloats(new float[]{0.5f, -4f}, 2).castTo(DType.F16));
        for (Map.Entry<String, NdArray> c : cases.entrySet()) {
            Path f = tmp.resolve(c.getKey() + ".npy");
            Npy.write(f, c.getValue());
            assertEquals(c.getValue(), Npy.read(f), c.getKey());
            byte[] bytes = Files.readAllBytes(f);
            int headerEnd = 10 + ((bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
            assertEquals(0, headerEnd % 64, "data must start 64-byte aligned like numpy writes it");
            assertEquals('\n', bytes[headerEnd - 1]);
        }
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left behind");
        }
    }

    @Test
    void writeOfBf16IsRefusedWithAClearMessage() {
        NdArray bf = NdArray.ofFloats(new float[]{1}, 1).castTo(DType.BF16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), bf));
        assertTrue(e.getMessage().contains("x.npy") && e.getMessage().contains("BF16"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.npy")));
    }

    @Test
    void errorsNameTheFileAndTheProblem() throws IOException {
        Path badMagic = file("magic.npy", concat(ascii("\u0093NUMPX"), new byte[]{1, 0}, le16(0), new byte[8]));
        assertMessage(badMagic, "magic.npy", "bad magic");
        Path truncated = file("trunc.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", floatsLE(1, 2)));
        assertMessage(truncated, "trunc.npy", "truncated data");
        Path bigEndian = file("be.npy", npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", floatsLE(1)));
        assertMessage(bigEndian, "be.npy", "unsupported dtype '>f4'");
        Path complex = file("c.npy", npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        assertMessage(complex, "c.npy", "unsupported dtype '<c8'");
        Path version = file("v9.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floatsLE(1)));
        byte[] v = Files.readAllBytes(version);
        v[6] = 9;
        Files.write(version, v);
        assertMessage(version, "v9.npy", "version 9.0");
        Path shortHeader = file("h.npy", concat(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, le16(500), ascii("{'descr'")));
        assertMessage(shortHeader, "h.npy", "truncated .npy header");
        Path noShape = file("ns.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, }", floatsLE(1)));
        assertMessage(noShape, "ns.npy", "lacks 'shape'");
    }

    private static void assertMessage(Path f, String... parts) {
        Npy.NpyFormatException e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(f));
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
    }

    @Test
    void readsHandBuiltNpzStoredAndDeflated() throws IOException {
        byte[] a = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", floatsLE(3, 4));
        byte[] b = npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", le64(42));
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zipBytes)) {
            ZipEntry stored = new ZipEntry("a.npy");
            CRC32 crc = new CRC32();
            crc.update(a);
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(a.length);
            stored.setCrc(crc.getValue());
            z.putNextEntry(stored);
            z.write(a);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("b.npy"));   // deflated (default method)
            z.write(b);
            z.closeEntry();
        }
        Map<String, NdArray> m = Npz.read(file("x.npz", zipBytes.toByteArray()));
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(m.keySet()));
        assertArrayEquals(new float[]{3, 4}, m.get("a").toFloats());
        assertArrayEquals(new long[]{42}, m.get("b").toLongs());
        assertEquals(0, m.get("b").rank());
    }

    @Test
    void npzWriteRoundTripsAndErrorsNameTheMember() throws IOException {
        Map<String, NdArray> in = new LinkedHashMap<>();
        in.put("x", NdArray.ofFloats(new float[]{1, 2, 3}, 3));
        in.put("labels", NdArray.ofLongs(new long[]{0, 1}, 2));
        for (boolean compress : new boolean[]{false, true}) {
            Path f = tmp.resolve("rt" + compress + ".npz");
            Npz.write(f, in, compress);
            assertEquals(in, Npz.read(f));
            try (var zip = new java.util.zip.ZipFile(f.toFile())) {
                assertEquals(compress ? ZipEntry.DEFLATED : ZipEntry.STORED, zip.getEntry("x.npy").getMethod());
            }
        }
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zipBytes)) {
            z.putNextEntry(new ZipEntry("bad.npy"));
            z.write(ascii("not numpy at all"));
            z.closeEntry();
        }
        Path bad = file("bad.npz", zipBytes.toByteArray());
        Npy.NpyFormatException e = assertThrows(Npy.NpyFormatException.class, () -> Npz.read(bad));
        assertTrue(e.getMessage().contains("bad.npz[bad.npy]") && e.getMessage().contains("bad magic"), e.getMessage());
        Path notZip = file("plain.npz", ascii("definitely not a zip archive"));
        Npy.NpyFormatException e2 = assertThrows(Npy.NpyFormatException.class, () -> Npz.read(notZip));
        assertTrue(e2.getMessage().contains("plain.npz"), e2.getMessage());
    }
}
