package dev.orcaj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.orcaj.io.TestFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir
    Path tmp;

    /** A safetensors image built by hand: 8-byte LE header length, the header text as given, the data bytes. */
    private Path st(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return Files.write(tmp.resolve(name), concat(le64(h.length), h, data));
    }

    private static void assertError(Path f, String... parts) {
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains(f.toString()), "'" + e.getMessage() + "' should name " + f);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
    }

    @Test
    void readsHandBuiltFileWithMetadata() throws IOException {
        Path f = st("ok.safetensors", "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[8,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", concat(floatsLE(1.5f, -3f), le32(-7)));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(Map.of("format", "pt"), c.metadata());
        assertArrayEquals(new float[]{1.5f, -3f}, c.tensors().get("a").toFloats());
        assertArrayEquals(new int[]{-7}, c.tensors().get("b").toInts());
        assertEquals(0, c.tensors().get("b").rank());
    }

    @Test
    void eachCorruptionGivesAnErrorNamingFileAndTensor() throws IOException {
        byte[] eight = floatsLE(1, 2);
        assertError(Files.write(tmp.resolve("short.safetensors"), new byte[]{1, 2, 3}), "too short");
        assertError(Files.write(tmp.resolve("hugelen.safetensors"), concat(le64(1L << 40), ascii("{}"))), "header length 1099511627776 out of bounds");
        assertError(st("json.safetensors", "{\"a\":{\"dtype\":\"F32\",", eight), "malformed JSON");
        assertError(st("notobj.safetensors", "[1,2]", new byte[0]), "malformed JSON", "not a JSON object");
        assertError(st("dup.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight),
                "malformed JSON", "Duplicate");
        assertError(st("outside.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", eight),
                "tensor 'a'", "outside the file");
        assertError(st("unordered.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", eight),
                "tensor 'a'", "unordered data_offsets [8, 4]");
        assertError(st("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight),
                "tensor 'b'", "overlaps tensor 'a'");
        assertError(st("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", eight), "tensor 'a'", "gap");
        assertError(st("size.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight),
                "tensor 'w'", "byte size 8 != F32 x shape [3] = 12 bytes");
        assertError(st("dtype.safetensors", "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", eight),
                "tensor 'w'", "unknown dtype 'F8_E4M3'");
        assertError(st("leftover.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", eight), "data section has 8 bytes but the tensors cover 4");
        assertError(st("noshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", eight), "tensor 'w'", "'shape'");
        assertError(st("meta.safetensors", "{\"__metadata__\":{\"n\":3}}", new byte[0]), "value of 'n' is not a string");
    }

    @Test
    void truncatedCopyOfARealFileIsRejected() throws IOException {
        byte[] real = Files.readAllBytes(weights("tiny-roberta/model.safetensors"));
        Path cut = Files.write(tmp.resolve("cut.safetensors"), Arrays.copyOf(real, real.length - 100));
        assertError(cut, "outside the file");
        Path headerCut = Files.write(tmp.resolve("hcut.safetensors"), Arrays.copyOf(real, 200));
        assertError(headerCut, "out of bounds");
    }

    @Test
    void writeRoundTripsInNameOrderWithPaddedHeader() throws IOException {
        Map<String, NdArray> in = new LinkedHashMap<>();
        in.put("z.weight", NdArray.ofFloats(new float[]{1, 2, 3, 4, 5, 6}, 2, 3));
        in.put("a.index", NdArray.ofLongs(new long[]{3, 1, 2}, 3));
        in.put("m.half", NdArray.ofFloats(new float[]{0.25f, -8f}, 2).castTo(DType.F16));
        in.put("m.bf", NdArray.ofFloats(new float[]{1.5f}, 1).castTo(DType.BF16));
        in.put("q.u8", NdArray.ofUnsignedBytes(new byte[]{9}, 1));
        in.put("q.bool", NdArray.ofBooleans(new boolean[]{true, false, true}, 3));
        in.put("r.i32", NdArray.ofInts(new int[]{-1}, 1));
        in.put("r.f64", NdArray.ofDoubles(new double[]{Math.E}, 1));
        Path f = tmp.resolve("rt.safetensors");
        Safetensors.write(f, in, Map.of("orcaj.note", "hello \"world\""));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(in, c.tensors());
        assertEquals(List.of("a.index", "m.bf", "m.half", "q.bool", "q.u8", "r.f64", "r.i32", "z.weight"), List.copyOf(c.tensors().keySet()));
        assertEquals("hello \"world\"", c.metadata().get("orcaj.note"));

        byte[] bytes = Files.readAllBytes(f);
        long headerLen = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\""), header);
        assertFalse(header.contains("\n") || header.contains(": "), "compact JSON: " + header);
        assertEquals(header.stripTrailing().length() + (header.length() - header.stripTrailing().length()), header.length());
        assertTrue(header.stripTrailing().endsWith("}"));
    }

    @Test
    void readsTinyRobertaWithTheShapesItsConfigImplies() throws IOException {
        SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(weights("tiny-roberta"));
        BertConfig cfg = (BertConfig) HfConfig.read(weights("tiny-roberta/config.json"));
        Map<String, long[]> expected = cfg.stateDictShapes(true);
        assertEquals(39, ck.tensors().size());
        assertEquals(expected.keySet(), ck.tensors().keySet());
        expected.forEach((k, s) -> assertArrayEquals(s, ck.get(k).shape(), k));
        assertEquals("pt", ck.metadata().get("format"));
        ck.tensors().values().forEach(a -> assertEquals(DType.F32, a.dtype()));
    }

    @Test
    void bf16FileIsTheF32FileRoundedToBf16() throws IOException {
        Map<String, NdArray> f32 = Safetensors.read(weights("tiny-roberta/model.safetensors")).tensors();
        Map<String, NdArray> bf16 = Safetensors.read(weights("tiny-roberta/model.bf16.safetensors")).tensors();
        assertEquals(f32.keySet(), bf16.keySet());
        double worst = 0;
        for (String name : f32.keySet()) {
            assertEquals(DType.BF16, bf16.get(name).dtype(), name);
            float[] a = f32.get(name).toFloats(), b = bf16.get(name).toFloats();
            for (int i = 0; i < a.length; i++) {
                // bf16 keeps 8 significant bits: a rounding error is at most half an ulp, 2^-8 relative
                assertTrue(Math.abs(a[i] - b[i]) <= 0x1p-8 * Math.abs(a[i]), name + "[" + i + "]: " + a[i] + " vs " + b[i]);
                // the value is the nearer of the two bf16 neighbours of a (truncated, or one bf16 ulp further out)
                int truncated = Float.floatToRawIntBits(a[i]) & 0xFFFF0000;
                float down = Float.intBitsToFloat(truncated), up = Float.intBitsToFloat(truncated + 0x10000);
                float nearest = Math.abs(a[i] - down) <= Math.abs(up - a[i]) ? down : up;
                boolean tie = Math.abs(a[i] - down) == Math.abs(up - a[i]);
                assertTrue(b[i] == nearest || (tie && b[i] == up), name + "[" + i + "]: " + a[i] + " -> " + b[i]);
                if (a[i] != 0) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.abs(a[i]));
            }
        }
        assertTrue(worst > 0x1p-10 && worst <= 0x1p-8, "largest relative bf16 error " + worst);
    }

    @Test
    void tinySwinHoldsTheInt64RelativePositionIndexHfComputes() throws IOException {
        SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(weights("tiny-swin/model.safetensors"));
        SwinConfig cfg = (SwinConfig) HfConfig.read(weights("tiny-swin/config.json"));
        Map<String, long[]> expected = cfg.stateDictShapes();
        assertEquals(expected.keySet(), ck.tensors().keySet());
        expected.forEach((k, s) -> assertArrayEquals(s, ck.get(k).shape(), k));
        NdArray idx = ck.get("encoder.layers.0.blocks.0.attention.self.relative_position_index");
        assertEquals(DType.I64, idx.dtype());
        // Swin (Liu et al. 2021, Sec. 3.2): tokens i=(hi,wi), j=(hj,wj) in a w x w window index the bias table at
        // (hi - hj + w - 1) * (2w - 1) + (wi - wj + w - 1)
        int w = 4;
        long[] v = idx.toLongs();
        for (int i = 0; i < w * w; i++) {
            for (int j = 0; j < w * w; j++) {
                long want = (long) (i / w - j / w + w - 1) * (2 * w - 1) + (i % w - j % w + w - 1);
                assertEquals(want, v[i * w * w + j], "index[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void threeStageSwinFixtureHasTheShapesItsConfigImplies() throws IOException {
        SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(weights("tiny-swin-64"));
        Map<String, long[]> expected = ((SwinConfig) HfConfig.read(weights("tiny-swin-64/config.json"))).stateDictShapes();
        assertEquals(expected.keySet(), ck.tensors().keySet());
        expected.forEach((k, s) -> assertArrayEquals(s, ck.get(k).shape(), k));
        // stage 0 runs at 16x16 > window 4, so its table is (2*4-1)^2 = 49 rows; two patch mergings
        assertArrayEquals(new long[]{49, 2}, ck.get("encoder.layers.0.blocks.1.attention.self.relative_position_bias_table").shape());
        assertArrayEquals(new long[]{64, 128}, ck.get("encoder.layers.1.downsample.reduction.weight").shape());
    }

    @Test
    void shardedCheckpointViaIndexJson() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sharded"));
        NdArray a = NdArray.ofFloats(new float[]{1, 2}, 2), b = NdArray.ofFloats(new float[]{3}, 1), c = NdArray.ofLongs(new long[]{4}, 1);
        Safetensors.write(dir.resolve("model-00001-of-00002.safetensors"), Map.of("x.a", a, "x.b", b), Map.of("format", "pt"));
        Safetensors.write(dir.resolve("model-00002-of-00002.safetensors"), Map.of("y.c", c), Map.of("format", "pt"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"metadata": {"total_size": 20},
                 "weight_map": {"x.a": "model-00001-of-00002.safetensors", "x.b": "model-00001-of-00002.safetensors",
                                "y.c": "model-00002-of-00002.safetensors"}}""");
        SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(dir);
        assertEquals(Map.of("x.a", a, "x.b", b, "y.c", c), ck.tensors());
        assertEquals("20", ck.metadata().get("total_size"));
        assertEquals(2, ck.files().size());
        assertEquals(ck.tensors(), SafetensorsCheckpoint.open(dir.resolve("model.safetensors.index.json")).tensors());

        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"weight_map": {"x.a": "model-00002-of-00002.safetensors", "x.b": "model-00001-of-00002.safetensors", "y.c": "model-00002-of-00002.safetensors"}}""");
        SafetensorsFormatException wrong = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(wrong.getMessage().contains("'x.a'") && wrong.getMessage().contains("does not hold it"), wrong.getMessage());

        Files.writeString(dir.resolve("model.safetensors.index.json"), """
                {"weight_map": {"x.a": "model-00001-of-00002.safetensors", "x.b": "model-00001-of-00002.safetensors", "y.c": "missing.safetensors"}}""");
        SafetensorsFormatException missing = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(missing.getMessage().contains("missing.safetensors") && missing.getMessage().contains("is missing"), missing.getMessage());

        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"x.a\": \"model-00001-of-00002.safetensors\"}}");
        SafetensorsFormatException unlisted = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(dir));
        assertTrue(unlisted.getMessage().contains("'x.b' is not listed"), unlisted.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        SafetensorsFormatException none = assertThrows(SafetensorsFormatException.class, () -> SafetensorsCheckpoint.open(empty));
        assertTrue(none.getMessage().contains("no model.safetensors"), none.getMessage());
    }
}
