package dev.orcaj.fuzz;

import dev.orcaj.io.Npy;
import dev.orcaj.io.Npz;
import dev.orcaj.io.onnx.OnnxFormatException;
import dev.orcaj.io.onnx.OnnxGraph;
import dev.orcaj.io.tokenize.HfTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every finding of the parser fuzz tests, minimized by hand to the smallest input that shows it, as a plain test:
 * the parser must now fail with its input-error exception, naming the file, on one line. The comment on each test
 * names the fuzz test that found it and what the parser did before the fix.
 */
class ParserRegressionTest {
    @TempDir Path tmp;

    private static <T extends Throwable> void cleanError(Class<T> type, String fileName, Executable parse) {
        T e = assertThrows(type, parse);
        assertTrue(e.getMessage().contains(fileName), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), "one line: " + e.getMessage());
        assertTrue(ParserProperty.isCleanInputError(e, fileName));
    }

    private static byte[] npy(String header, int dataBytes) {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        return b.array();
    }

    /** NpyFuzzTest: a header key holding a line break was quoted raw, so the CLI's one-line error became several lines. */
    @Test
    void npyHeaderKeyWithALineBreak() {
        byte[] file = npy("{'de\nscr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
        cleanError(Npy.NpyFormatException.class, "fuzzed.npy", () -> Npy.parse(ByteBuffer.wrap(file), "fuzzed.npy"));
    }

    /** NpyFuzzTest (same class of bug in the dtype message): a descr with an escape sequence reached the terminal raw. */
    @Test
    void npyDescrWithATerminalEscape() {
        byte[] file = npy("{'descr': '\u001b[2J', 'fortran_order': False, 'shape': (1,), }", 4);
        Npy.NpyFormatException e = assertThrows(Npy.NpyFormatException.class, () -> Npy.parse(ByteBuffer.wrap(file), "fuzzed.npy"));
        assertTrue(e.getMessage().contains("\\x1b[2J") && !e.getMessage().contains("\u001b"), e.getMessage());
    }

    /** NpyFuzzTest: a 23-digit dimension escaped as a bare NumberFormatException (fixed with the heap checks of issue 11 item 4). */
    @Test
    void npyDimensionTooLongForALong() {
        byte[] file = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (24444444444444444444444,), }", 0);
        cleanError(Npy.NpyFormatException.class, "fuzzed.npy", () -> Npy.parse(ByteBuffer.wrap(file), "fuzzed.npy"));
    }

    /** TokenizerFuzzTest: invalid UTF-8 gave Jackson's two-line message ("... at [Source: ...]"). */
    @Test
    void tokenizerJsonWithInvalidUtf8() throws Exception {
        Path f = Files.write(tmp.resolve("fuzzed-tokenizer.json"), new byte[] {'{', '"', 'm', '"', ':', (byte) 0xff, '}'});
        cleanError(IllegalArgumentException.class, "fuzzed-tokenizer.json", () -> HfTokenizer.fromFile(f));
    }

    /**
     * NpzFuzzTest: a zip whose end record declares a comment running past the end of the file made ZipFile throw a
     * bare EOFException (message null: the CLI printed "EOFException" and no file). Minimized: a local-header
     * signature, one zeroed 46-byte central-directory record, and the end record with comment length 1 but no comment.
     */
    @Test
    void npzWithEndRecordCommentPastTheEnd() throws Exception {
        ByteBuffer zip = ByteBuffer.allocate(4 + 46 + 22).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        zip.putInt(0, 0x04034b50).putInt(4, 0x02014b50);
        zip.position(50);
        zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putInt(46).putInt(4).putShort((short) 1);
        Path f = Files.write(tmp.resolve("fuzzed.npz"), zip.array());
        cleanError(Npy.NpyFormatException.class, "fuzzed.npz", () -> Npz.read(f));
    }

    /** OnnxFuzzTest: a tensor name holding line breaks was quoted raw in "tensor '...': has 0 typed values". */
    @Test
    void onnxTensorNameWithLineBreaks() {
        // ModelProto { graph (7) { initializer (5) { dims (1): 2, data_type (2): FLOAT, name (8): "a\nb" } } }
        byte[] tensor = {0x08, 0x02, 0x10, 0x01, 0x42, 0x03, 'a', '\n', 'b'};
        byte[] graph = concat(new byte[] {0x2a, (byte) tensor.length}, tensor);
        byte[] model = concat(new byte[] {0x3a, (byte) graph.length}, graph);
        cleanError(OnnxFormatException.class, "fuzzed.onnx", () -> OnnxGraph.parse(ByteBuffer.wrap(model), "fuzzed.onnx"));
    }

    /** OnnxFuzzTest (second run): initializer dims whose product overflows a long escaped as a bare "long overflow". */
    @Test
    void onnxTensorDimsOverflowingALong() {
        // initializer { dims: 2^40, dims: 2^40 (varints), data_type: FLOAT, name: "big" }
        byte[] twoTo40 = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};
        byte[] tensor = concat(concat(new byte[] {0x08}, twoTo40), concat(concat(new byte[] {0x08}, twoTo40), new byte[] {0x10, 0x01, 0x42, 0x03, 'b', 'i', 'g'}));
        byte[] graph = concat(new byte[] {0x2a, (byte) tensor.length}, tensor);
        byte[] model = concat(new byte[] {0x3a, (byte) graph.length}, graph);
        cleanError(OnnxFormatException.class, "fuzzed.onnx", () -> OnnxGraph.parse(ByteBuffer.wrap(model), "fuzzed.onnx"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
