package dev.orcaj.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy {@code .npy} reading and writing (format spec: numpy/lib/format.py, "NEP 1"). Header versions 1.0
 * (2-byte header length), 2.0 (4-byte) and 3.0 (4-byte, UTF-8 header) are read; 1.0 is written unless the header
 * does not fit, then 2.0. Supported descriptors: {@code <f4 <f8 <f2 <i4 <i8 |u1 |b1}. Fortran-order arrays are
 * converted to C order on read. For {@code .npz} see {@link Npz}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy pads "magic + length + header" to a multiple of 64 bytes so the data is aligned. */
    private static final int ALIGN = 64;

    private Npy() {}

    /** Reads a whole .npy file; a file too large for one Java array or for the free heap is refused before it is read. */
    public static NdArray read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > HeapBudget.MAX_ARRAY_ELEMENTS) {
            throw new NpyFormatException(file + ": " + HeapBudget.mib(size) + " is more than one .npy file may hold here (2 GiB, the largest Java array); split the data into several files");
        }
        HeapBudget.require(2 * size, "reading " + file + " (" + HeapBudget.mib(size) + ", and its float copy)");
        byte[] bytes = Files.readAllBytes(file);
        return parse(ByteBuffer.wrap(bytes), file.toString());
    }

    /**
     * Parses a complete .npy image; {@code source} names it in error messages. The returned array views
     * {@code bytes} when it is C order.
     */
    public static NdArray parse(ByteBuffer bytes, String source) {
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) throw new NpyFormatException(source + ": not a .npy file (only " + b.remaining() + " bytes)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) throw new NpyFormatException(source + ": not a .npy file (bad magic; expected \\x93NUMPY)");
        }
        int major = b.get(6) & 0xFF, minor = b.get(7) & 0xFF;
        int headerStart;
        long headerLen;
        switch (major) {
            case 1 -> { headerLen = b.getShort(8) & 0xFFFF; headerStart = 10; }
            case 2, 3 -> {
                if (b.remaining() < 12) throw new NpyFormatException(source + ": truncated .npy header");
                headerLen = b.getInt(8) & 0xFFFFFFFFL;
                headerStart = 12;
            }
            default -> throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerStart + headerLen > b.remaining()) {
            throw new NpyFormatException(source + ": truncated .npy header (declares " + headerLen + " bytes, file has " + (b.remaining() - headerStart) + ")");
        }
        byte[] hb = new byte[(int) headerLen];
        b.get(headerStart, hb);
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader h = NpyHeader.parse(header, source);
        DType dtype = DType.fromNpyDescr(h.descr());
        if (dtype == null) {
            throw new NpyFormatException(source + ": unsupported dtype '" + h.descr() + "' (supported: <f4 <f8 <f2 <i4 <i8 |u1 |b1; big-endian and other types are not)");
        }
        int dataStart = (int) (headerStart + headerLen);
        long need;
        try {
            need = Math.multiplyExact(NdArray.numel(h.shape()), dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw new NpyFormatException(source + ": shape " + Arrays.toString(h.shape()) + " declares more than 2^63 bytes of " + h.descr() + " (corrupt header?)");
        }
        long have = b.remaining() - dataStart;
        if (have < need) {
            throw new NpyFormatException(source + ": truncated data: " + h.descr() + " " + Arrays.toString(h.shape()) + " needs " + need + " bytes, file has " + have);
        }
        if (have > need) {
            throw new NpyFormatException(source + ": " + (have - need) + " unexpected bytes after the data of " + h.descr() + " " + Arrays.toString(h.shape()));
        }
        ByteBuffer data = b.slice(dataStart, (int) need);
        if (h.fortranOrder() && h.shape().length > 1) data = fortranToC(data, h.shape(), dtype.byteSize());
        return new NdArray(dtype, h.shape(), data);
    }

    /** Reorders column-major bytes into row-major order: element (i0..in-1) sits at sum(ik * prod(d0..dk-1)) in Fortran order. */
    static ByteBuffer fortranToC(ByteBuffer src, long[] shape, int elemSize) {
        int rank = shape.length;
        int n = Math.toIntExact(NdArray.numel(shape));
        long[] fStride = new long[rank];
        long s = 1;
        for (int k = 0; k < rank; k++) { fStride[k] = s; s *= shape[k]; }
        ByteBuffer dst = ByteBuffer.allocate(Math.multiplyExact(n, elemSize)).order(ByteOrder.LITTLE_ENDIAN);
        long[] idx = new long[rank];
        for (int c = 0; c < n; c++) {
            long f = 0;
            for (int k = 0; k < rank; k++) f += idx[k] * fStride[k];
            for (int e = 0; e < elemSize; e++) dst.put(c * elemSize + e, src.get((int) (f * elemSize) + e));
            for (int k = rank - 1; k >= 0; k--) {         // advance the C-order multi-index, last axis fastest
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return dst;
    }

    /** Writes {@code array} as a C-order .npy file, atomically. */
    public static void write(Path file, NdArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array, file.toString()));
    }

    /** Writes the .npy image of {@code array} to a stream; {@code target} names it in error messages. */
    public static void write(OutputStream out, NdArray array, String target) throws IOException {
        out.write(header(array, target));
        Channels.newChannel(out).write(array.data());
    }

    static byte[] header(NdArray array, String target) {
        String descr = array.dtype().npyDescr();
        if (descr == null) {
            throw new IllegalArgumentException(target + ": dtype " + array.dtype() + " has no NumPy equivalent; cast it (e.g. to F32) before writing .npy");
        }
        StringBuilder shape = new StringBuilder("(");
        long[] dims = array.shape();
        for (int i = 0; i < dims.length; i++) shape.append(i > 0 ? ", " : "").append(dims[i]);
        if (dims.length == 1) shape.append(',');
        shape.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int major = dict.length() + 1 + 10 <= 0xFFFF ? 1 : 2;
        int prefix = major == 1 ? 10 : 12;
        int total = prefix + dict.length() + 1;
        int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
        String headerText = dict + " ".repeat(padded - total) + "\n";
        ByteArrayOutputStream h = new ByteArrayOutputStream(padded);
        h.writeBytes(MAGIC);
        h.write(major);
        h.write(0);
        int len = headerText.length();
        if (major == 1) {
            h.write(len & 0xFF); h.write(len >>> 8);
        } else {
            h.write(len & 0xFF); h.write((len >>> 8) & 0xFF); h.write((len >>> 16) & 0xFF); h.write(len >>> 24);
        }
        h.writeBytes(headerText.getBytes(StandardCharsets.ISO_8859_1));
        return h.toByteArray();
    }

    /** Raised for a malformed, truncated or unsupported .npy/.npz file; the message names the file. */
    public static final class NpyFormatException extends IllegalArgumentException {
        public NpyFormatException(String message) { super(OneLine.of(message)); }
    }

    /** The three keys of the header dictionary, a Python literal like {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }}. */
    record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
        static NpyHeader parse(String text, String source) {
            PyLiteral p = new PyLiteral(text.strip(), source);
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            p.expect('{');
            while (!p.tryConsume('}')) {
                String key = p.string();
                p.expect(':');
                switch (key) {
                    case "descr" -> {
                        if (p.peek() != '\'' && p.peek() != '"') throw new NpyFormatException(source + ": unsupported dtype (structured descr " + text.strip() + ")");
                        descr = p.string();
                    }
                    case "fortran_order" -> fortran = p.bool();
                    case "shape" -> shape = p.intTuple();
                    default -> throw new NpyFormatException(source + ": unexpected key '" + key + "' in .npy header");
                }
                if (!p.tryConsume(',')) { p.expect('}'); break; }
            }
            if (descr == null || fortran == null || shape == null) {
                throw new NpyFormatException(source + ": .npy header lacks " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'") + ": " + text.strip());
            }
            return new NpyHeader(descr, fortran, shape);
        }
    }

    /** Tiny reader for the Python literals allowed in a .npy header: strings, True/False, tuples of ints. */
    private static final class PyLiteral {
        private final String s;
        private final String source;
        private int pos;

        PyLiteral(String s, String source) { this.s = s; this.source = source; }

        private NpyFormatException error(String what) {
            return new NpyFormatException(source + ": malformed .npy header (" + what + " at offset " + pos + "): " + s);
        }

        private void skipSpace() { while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++; }

        char peek() { skipSpace(); return pos < s.length() ? s.charAt(pos) : '\0'; }

        void expect(char c) { if (!tryConsume(c)) throw error("expected '" + c + "'"); }

        boolean tryConsume(char c) {
            if (peek() == c) { pos++; return true; }
            return false;
        }

        String string() {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a string");
            int end = s.indexOf(q, ++pos);
            if (end < 0) throw error("unterminated string");
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        boolean bool() {
            skipSpace();
            if (s.startsWith("True", pos)) { pos += 4; return true; }
            if (s.startsWith("False", pos)) { pos += 5; return false; }
            throw error("expected True or False");
        }

        long[] intTuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (!tryConsume(')')) {
                skipSpace();
                int start = pos;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
                if (start == pos) throw error("expected a non-negative integer dimension");
                if (s.startsWith("L", pos)) pos++;          // Python 2 long suffix
                String digits = s.substring(start, pos).replace("L", "");
                try {
                    dims.add(Long.parseLong(digits));
                } catch (NumberFormatException tooLong) {
                    throw error("dimension " + digits + " does not fit in 64 bits");
                }
                if (!tryConsume(',')) { expect(')'); break; }
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }
    }
}
