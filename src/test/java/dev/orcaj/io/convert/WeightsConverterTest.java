package dev.orcaj.io.convert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.DType;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Safetensors;
import dev.orcaj.io.onnx.MiniLmWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static dev.orcaj.io.TestFiles.weights;
import static org.junit.jupiter.api.Assertions.*;

class WeightsConverterTest {
    @TempDir
    Path tmp;

    private static Map<String, NdArray> fixture(String file) throws IOException {
        return Safetensors.read(weights(file)).tensors();
    }

    @Test
    void tinyRobertaF32IsCopiedExactlyWithItsConfig() throws IOException {
        Path out = tmp.resolve("roberta.safetensors");
        WeightsConverter.Result r = WeightsConverter.convertHf(weights("tiny-roberta"), out, DType.F32);
        assertEquals(39, r.tensorCount());
        EngineCheckpoint ck = EngineCheckpoint.load(out);
        assertEquals(HfConfig.read(weights("tiny-roberta/config.json")), ck.config());
        assertEquals("roberta", ck.metadata().get(EngineCheckpoint.MODEL_TYPE_KEY));
        assertEquals(fixture("tiny-roberta/model.safetensors"), ck.tensors());
    }

    @Test
    void loadReadsHfDirectoriesAndEngineFilesAlike() throws IOException {
        EngineCheckpoint fromDir = WeightsConverter.load(weights("tiny-swin"));
        assertEquals(fixture("tiny-swin/model.safetensors"), fromDir.tensors());
        assertEquals("swin", fromDir.config().modelType());
        Path out = tmp.resolve("swin.safetensors");
        WeightsConverter.convertHf(weights("tiny-swin"), out, DType.F32);
        EngineCheckpoint fromFile = WeightsConverter.load(out);
        assertEquals(fromDir.config(), fromFile.config());
        assertEquals(fromDir.tensors(), fromFile.tensors());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsConverter.load(weights("tiny-roberta/model.safetensors")));
        assertTrue(e.getMessage().contains("no 'orcaj.config'"), e.getMessage());
    }

    @Test
    void f32ToBf16MatchesThePyTorchRoundedFixture() throws IOException {
        // model.bf16.safetensors was rounded by PyTorch (round-to-nearest-even): our conversion must agree bit for bit
        Path out = tmp.resolve("roberta-bf16.safetensors");
        WeightsConverter.convertHf(weights("tiny-roberta"), out, DType.BF16);
        assertEquals(fixture("tiny-roberta/model.bf16.safetensors"), EngineCheckpoint.load(out).tensors());
    }

    @Test
    void bf16SourceUpcastsExactlyToF32() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bf16-src"));
        Files.copy(weights("tiny-roberta/config.json"), dir.resolve("config.json"));
        Files.copy(weights("tiny-roberta/model.bf16.safetensors"), dir.resolve("model.safetensors"));
        Path out = tmp.resolve("from-bf16.safetensors");
        WeightsConverter.convertHf(dir, out, DType.F32);
        Map<String, NdArray> src = fixture("tiny-roberta/model.bf16.safetensors");
        Map<String, NdArray> got = EngineCheckpoint.load(out).tensors();
        assertEquals(src.keySet(), got.keySet());
        for (String k : src.keySet()) {
            assertEquals(DType.F32, got.get(k).dtype());
            assertArrayEquals(src.get(k).toFloats(), got.get(k).toFloats(), k);
        }
    }

    @Test
    void tinySwinKeepsInt64IndexEvenWhenStoringBf16() throws IOException {
        Map<String, NdArray> src = fixture("tiny-swin/model.safetensors");
        Path f32 = tmp.resolve("swin.safetensors"), bf16 = tmp.resolve("swin-bf16.safetensors");
        WeightsConverter.convertHf(weights("tiny-swin"), f32, DType.F32);
        assertEquals(src, EngineCheckpoint.load(f32).tensors());
        WeightsConverter.convertHf(weights("tiny-swin"), bf16, DType.BF16);
        EngineCheckpoint ck = EngineCheckpoint.load(bf16);
        assertEquals(HfConfig.read(weights("tiny-swin/config.json")), ck.config());
        for (Map.Entry<String, NdArray> e : src.entrySet()) {
            NdArray got = ck.get(e.getKey());
            if (e.getValue().dtype() == DType.I64) {
                assertEquals(e.getValue(), got, e.getKey());
            } else {
                assertEquals(DType.BF16, got.dtype(), e.getKey());
                float[] a = e.getValue().toFloats(), b = got.toFloats();
                for (int i = 0; i < a.length; i++) assertTrue(Math.abs(a[i] - b[i]) <= 0x1p-8 * Math.abs(a[i]), e.getKey() + "[" + i + "]");
            }
        }
    }

    @Test
    void prefixedShardedCheckpointWithHeadIsStrippedAndFiltered() throws IOException {
        // a RobertaForMaskedLM-style checkpoint: "roberta." body in two shards, plus an lm_head and a legacy buffer
        Map<String, NdArray> body = fixture("tiny-roberta/model.safetensors");
        Map<String, NdArray> shard1 = new TreeMap<>(), shard2 = new TreeMap<>();
        Map<String, String> weightMap = new TreeMap<>();
        int i = 0;
        for (Map.Entry<String, NdArray> e : body.entrySet()) {
            boolean first = i++ % 2 == 0;
            (first ? shard1 : shard2).put("roberta." + e.getKey(), e.getValue());
            weightMap.put("roberta." + e.getKey(), first ? "a.safetensors" : "b.safetensors");
        }
        shard2.put("lm_head.bias", NdArray.ofFloats(new float[1000], 1000));
        weightMap.put("lm_head.bias", "b.safetensors");
        shard2.put("roberta.embeddings.position_ids", NdArray.ofLongs(new long[66], 1, 66));
        weightMap.put("roberta.embeddings.position_ids", "b.safetensors");
        Path dir = Files.createDirectories(tmp.resolve("hf"));
        Files.copy(weights("tiny-roberta/config.json"), dir.resolve("config.json"));
        Safetensors.write(dir.resolve("a.safetensors"), shard1, Map.of("format", "pt"));
        Safetensors.write(dir.resolve("b.safetensors"), shard2, Map.of("format", "pt"));
        StringBuilder json = new StringBuilder("{\"metadata\":{},\"weight_map\":{");
        weightMap.forEach((k, v) -> json.append('"').append(k).append("\":\"").append(v).append("\","));
        json.setLength(json.length() - 1);
        Files.writeString(dir.resolve("model.safetensors.index.json"), json.append("}}"));

        Path out = tmp.resolve("out.safetensors");
        WeightsConverter.Result r = WeightsConverter.convertHf(dir, out, DType.F32);
        assertEquals(body, EngineCheckpoint.load(out).tensors());
        assertTrue(r.dropped().contains("lm_head.bias") && r.dropped().contains("roberta.embeddings.position_ids"), r.dropped().toString());
    }

    @Test
    void missingOrMisshapenTensorsAreNamed() throws IOException {
        Map<String, NdArray> body = new HashMap<>(fixture("tiny-roberta/model.safetensors"));
        body.remove("encoder.layer.1.output.dense.weight");
        body.put("embeddings.LayerNorm.bias", NdArray.ofFloats(new float[3], 3));
        Path dir = Files.createDirectories(tmp.resolve("broken"));
        Files.copy(weights("tiny-roberta/config.json"), dir.resolve("config.json"));
        Safetensors.write(dir.resolve("model.safetensors"), body, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightsConverter.convertHf(dir, tmp.resolve("x.safetensors"), DType.F32));
        assertTrue(e.getMessage().contains("missing encoder.layer.1.output.dense.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("embeddings.LayerNorm.bias has shape [3], config implies [64]"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x.safetensors")));
    }

    @Test
    void miniLmOnnxConvertsToTheSameTensorsAsTheDirectImport() throws IOException {
        Path out = tmp.resolve("minilm.safetensors");
        WeightsConverter.Result r = WeightsConverter.convertMiniLm(out, DType.F32);
        EngineCheckpoint ck = EngineCheckpoint.load(out);
        assertEquals(BertConfig.allMiniLmL6V2(), ck.config());
        assertEquals(101, r.tensorCount());
        assertEquals(MiniLmWeights.load(), ck.tensors());
    }
}
