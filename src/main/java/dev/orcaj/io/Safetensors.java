package dev.orcaj.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One safetensors file (format: huggingface/safetensors README "Format"): an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON mapping tensor names to {@code {dtype, shape, data_offsets:[begin,end]}} (offsets relative to
 * the byte after the header) plus an optional {@code __metadata__} string map, then the raw little-endian data.
 * Reading memory-maps the file; the tensors are views of the mapping (kept alive by the garbage collector).
 * For directories and sharded checkpoints use {@link SafetensorsCheckpoint}.
 */
public final class Safetensors {
    static final String METADATA_KEY = "__metadata__";
    /**
     * Metadata key of the CRC32C (hex) of the data section: written into every file this class writes and verified by
     * {@link #read} when present, so a checkpoint or model with overwritten bytes fails on load, naming the file, instead
     * of training on garbage. Files from other writers (Hugging Face) have no such key and are read unchecked.
     */
    public static final String CHECKSUM_KEY = "orcaj.data_crc32c";
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private Safetensors() {}

    /** The tensors of one file (in header order) and its {@code __metadata__} (empty when absent). */
    public record Contents(Path file, Map<String, NdArray> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    public static Contents read(Path file) throws IOException {
        MemorySegment seg;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new SafetensorsFormatException(file + ": too short for a safetensors file (" + size + " bytes, need at least 8)");
            seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
        }
        long fileSize = seg.byteSize();
        long headerLen = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen <= 0 || headerLen > fileSize - 8) {
            throw new SafetensorsFormatException(file + ": header length " + Long.toUnsignedString(headerLen) + " out of bounds (file has "
                    + (fileSize - 8) + " bytes after the 8-byte length)");
        }
        if (headerLen > Integer.MAX_VALUE - 8) throw new SafetensorsFormatException(file + ": header length " + headerLen + " is too large");
        HeapBudget.require(4 * headerLen, file + ": its JSON header (" + HeapBudget.mib(headerLen) + ")"); // the bytes, their String and the JSON tree
        byte[] header = seg.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
        long dataStart = 8 + headerLen;
        long dataSize = fileSize - dataStart;

        JsonNode root;
        try {
            root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file + ": malformed JSON header: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new SafetensorsFormatException(file + ": malformed JSON header: not a JSON object");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(METADATA_KEY)) {
                metadata.putAll(parseMetadata(file, f.getValue()));
            } else {
                entries.add(parseEntry(file, f.getKey(), f.getValue(), dataSize));
            }
        }
        checkLayout(file, entries, dataSize);
        String recorded = metadata.get(CHECKSUM_KEY);
        if (recorded != null) {
            String actual = crc32c(List.of(seg.asSlice(dataStart, dataSize).asByteBuffer()));
            if (!actual.equals(recorded)) {
                throw new SafetensorsFormatException(file + ": checksum mismatch: the data section has CRC32C " + actual + ", the header records " + recorded
                        + " (the file is corrupt or was modified after it was written)");
            }
        }

        Map<String, NdArray> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            long len = e.end - e.begin;
            if (len > Integer.MAX_VALUE) throw new SafetensorsFormatException(file + ": tensor '" + e.name + "' is " + len + " bytes; tensors over 2 GiB are not supported");
            ByteBuffer view = seg.asSlice(dataStart + e.begin, len).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(e.name, new NdArray(e.dtype, e.shape, view));
        }
        return new Contents(file, tensors, metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) throw new SafetensorsFormatException(file + ": " + METADATA_KEY + " must be a JSON object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) throw new SafetensorsFormatException(file + ": " + METADATA_KEY + " value of '" + m.getKey() + "' is not a string");
            out.put(m.getKey(), m.getValue().textValue());
        }
        return out;
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor '" + name + "'";
        if (!node.isObject()) throw new SafetensorsFormatException(where + ": header entry is not a JSON object");
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) throw new SafetensorsFormatException(where + ": missing 'dtype'");
        DType dtype = DType.fromSafetensors(dt.textValue());
        if (dtype == null) {
            throw new SafetensorsFormatException(where + ": unknown dtype '" + dt.textValue() + "' (supported: " + Arrays.toString(DType.values()) + ")");
        }
        long[] shape = longArray(node.get("shape"), where, "shape", -1);
        for (long d : shape) if (d < 0) throw new SafetensorsFormatException(where + ": negative dimension in shape " + Arrays.toString(shape));
        long[] off = longArray(node.get("data_offsets"), where, "data_offsets", 2);
        if (off[0] < 0 || off[1] < off[0]) throw new SafetensorsFormatException(where + ": unordered data_offsets " + Arrays.toString(off) + " (need 0 <= begin <= end)");
        if (off[1] > dataSize) {
            throw new SafetensorsFormatException(where + ": data_offsets " + Arrays.toString(off) + " outside the file (data section has " + dataSize + " bytes)");
        }
        long expected;
        try {
            expected = Math.multiplyExact(NdArray.numel(shape), dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (off[1] - off[0] != expected) {
            throw new SafetensorsFormatException(where + ": byte size " + (off[1] - off[0]) + " != " + dtype + " x shape " + Arrays.toString(shape)
                    + " = " + expected + " bytes");
        }
        return new Entry(name, dtype, shape, off[0], off[1]);
    }

    private static long[] longArray(JsonNode node, String where, String field, int requiredLength) {
        if (node == null || !node.isArray()) throw new SafetensorsFormatException(where + ": missing or non-array '" + field + "'");
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new SafetensorsFormatException(where + ": '" + field + "' must have " + requiredLength + " entries, has " + node.size());
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong()) throw new SafetensorsFormatException(where + ": '" + field + "' has a non-integer entry " + v);
            out[i] = v.longValue();
        }
        return out;
    }

    /** The data ranges, sorted by start, must tile the data section exactly: no overlap, no gap, nothing left over. */
    private static void checkLayout(Path file, List<Entry> entries, long dataSize) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedStart = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin < expectedStart) {
                throw new SafetensorsFormatException(file + ": tensor '" + e.name + "' data " + Arrays.toString(new long[]{e.begin, e.end})
                        + " overlaps tensor '" + prev.name + "' " + Arrays.toString(new long[]{prev.begin, prev.end}));
            }
            if (e.begin > expectedStart) {
                throw new SafetensorsFormatException(file + ": tensor '" + e.name + "' starts at " + e.begin + " leaving a gap after byte "
                        + expectedStart + " of the data section");
            }
            expectedStart = e.end;
            prev = e;
        }
        if (expectedStart != dataSize) {
            throw new SafetensorsFormatException(file + ": data section has " + dataSize + " bytes but the tensors cover " + expectedStart);
        }
    }

    /**
     * Writes {@code tensors} (in name order) and {@code metadata} as one safetensors file, atomically. The header is
     * compact JSON padded with spaces to a multiple of 8 bytes, so the data section starts 8-byte aligned.
     */
    public static void write(Path file, Map<String, NdArray> tensors, Map<String, String> metadata) throws IOException {
        TreeMap<String, NdArray> sorted = new TreeMap<>(tensors);
        if (sorted.containsKey(METADATA_KEY)) throw new IllegalArgumentException(file + ": '" + METADATA_KEY + "' is reserved and cannot name a tensor");
        ObjectNode header = JSON.createObjectNode();
        TreeMap<String, String> meta = metadata == null ? new TreeMap<>() : new TreeMap<>(metadata);
        meta.put(CHECKSUM_KEY, crc32c(sorted.values().stream().map(NdArray::data).toList()));
        ObjectNode metaNode = header.putObject(METADATA_KEY);
        meta.forEach(metaNode::put);
        long offset = 0;
        for (Map.Entry<String, NdArray> t : sorted.entrySet()) {
            NdArray a = t.getValue();
            ObjectNode e = header.putObject(t.getKey());
            e.put("dtype", a.dtype().safetensorsName());
            ArrayNode shape = e.putArray("shape");
            for (long d : a.shape()) shape.add(d);
            e.putArray("data_offsets").add(offset).add(offset + a.byteSize());
            offset += a.byteSize();
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
            out.write(len.array());
            out.write(headerBytes);
            var channel = Channels.newChannel(out);
            for (NdArray a : sorted.values()) {
                ByteBuffer d = a.data();
                while (d.hasRemaining()) channel.write(d);
            }
        });
    }

    /** CRC32C (hex) of the concatenated buffers' remaining bytes; the buffers' positions are left as they were. */
    private static String crc32c(List<ByteBuffer> parts) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (ByteBuffer b : parts) crc.update(b.duplicate());
        return String.format("%08x", crc.getValue());
    }
}
