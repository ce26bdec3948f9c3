package dev.orcaj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 11 items 4 and 8: sizes are checked against the heap and Java's array limit before reading, errors name the file. */
class ReaderSizeLimitsTest {
    @TempDir
    Path dir;

    /** A .npy v1.0 file with this header dictionary and {@code dataBytes} zero bytes after it. */
    private Path npy(String name, String dict, int dataBytes) throws Exception {
        String header = dict + " ".repeat(Math.max(0, 117 - dict.length())) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + dataBytes];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
        out[6] = 1;
        out[8] = (byte) h.length;
        out[9] = (byte) (h.length >> 8);
        System.arraycopy(h, 0, out, 10, h.length);
        Path f = dir.resolve(name);
        Files.write(f, out);
        return f;
    }

    @Test
    void npyFileLargerThanOneJavaArrayIsRefusedBeforeReading() throws Exception {
        Path big = dir.resolve("big.npy");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: nothing is written
        }
        var e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(big));
        assertTrue(e.getMessage().startsWith(big.toString()) && e.getMessage().contains("2 GiB"), e.getMessage());
    }

    @Test
    void npyDimensionsOverflowingALongAreNamedNotLongOverflow() throws Exception {
        Path product = npy("product.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0);
        var e = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(product));
        assertTrue(e.getMessage().startsWith(product.toString()) && e.getMessage().contains("more than 2^63 bytes"), e.getMessage());
        Path digits = npy("digits.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (123456789012345678901234567890,), }", 0);
        var d = assertThrows(Npy.NpyFormatException.class, () -> Npy.read(digits));
        assertTrue(d.getMessage().startsWith(digits.toString()) && d.getMessage().contains("does not fit in 64 bits"), d.getMessage());
    }

    @Test
    void npzMemberInflatingBeyondItsDeclaredSizeIsRefused() throws Exception {
        Path f = dir.resolve("a.npz");
        byte[] member = Files.readAllBytes(npy("m.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 16));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.putNextEntry(new ZipEntry("x.npy"));
            zip.write(member);
            zip.closeEntry();
        }
        // the local and central headers declare the uncompressed size: shrink it by patching the central directory copy
        byte[] bytes = Files.readAllBytes(f);
        int cen = indexOf(bytes, new byte[] {0x50, 0x4b, 0x01, 0x02});
        writeLe32(bytes, cen + 24, 8);
        Files.write(f, bytes);
        var e = assertThrows(Npy.NpyFormatException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().contains(f + "[x.npy]"), e.getMessage());
    }

    @Test
    void heapRefusalGivesTheNumbersAndTheRemedy() {
        long tooMuch = HeapBudget.maxHeap() + (1L << 30);
        var e = assertThrows(HeapBudget.InsufficientHeapException.class, () -> HeapBudget.require(tooMuch, "the thing"));
        assertTrue(e.getMessage().startsWith("the thing needs "), e.getMessage());
        assertTrue(e.getMessage().contains("JVM heap is free") && e.getMessage().contains("-Xmx"), e.getMessage());
        var a = assertThrows(HeapBudget.InsufficientHeapException.class, () -> HeapBudget.requireArray(1L << 32, 4, "x"));
        assertTrue(a.getMessage().contains("more than one Java array"), a.getMessage());
    }

    @Test
    void textFilesTooLargeForTheHeapOnceParsedAreRefusedBeforeReading() throws Exception {
        // sparse files of a quarter of the maximum heap: held as String fields they would need twice the heap
        long size = HeapBudget.maxHeap() / 4;
        for (String name : new String[] {"big.csv", "big.arff", "config.json", "big.conll", "tokenizer.json"}) {
            Path f = dir.resolve(name);
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(size);
            }
            var e = assertThrows(HeapBudget.InsufficientHeapException.class, () -> {
                switch (name) {
                    case "big.csv" -> dev.orcaj.data.DelimitedReader.read(f, dev.orcaj.data.DelimitedReader.Options.csv());
                    case "big.arff" -> dev.orcaj.data.ArffReader.read(f);
                    case "big.conll" -> dev.orcaj.data.text.ConllReader.readConll(f);
                    case "tokenizer.json" -> dev.orcaj.io.tokenize.HfTokenizer.fromFile(f);
                    default -> HfConfig.read(f);
                }
            });
            assertTrue(e.getMessage().startsWith("reading " + f + " (") && e.getMessage().contains("-Xmx"), e.getMessage());
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    private static void writeLe32(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) b[at + i] = (byte) (v >> (8 * i));
    }
}
