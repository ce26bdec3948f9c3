package dev.orcaj.io.onnx;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.DType;
import dev.orcaj.io.NdArray;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class OnnxGraphTest {

    private static ProtoWriter floatTensor(String name, long[] dims, float... values) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) t.varintField(1, d);                    // dims, unpacked
        t.varintField(2, 1);                                         // FLOAT
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        t.bytesField(4, b.array());                                  // float_data, packed
        return t.stringField(8, name);
    }

    private static ProtoWriter node(String op, String name, List<String> in, List<String> out) {
        ProtoWriter n = new ProtoWriter();
        in.forEach(s -> n.stringField(1, s));
        out.forEach(s -> n.stringField(2, s));
        return n.stringField(3, name).stringField(4, op);
    }

    @Test
    void parsesHandBuiltModelWithTypedRawAndConstantTensors() {
        ProtoWriter rawI64 = new ProtoWriter().bytesField(1, new byte[]{2}).varintField(2, 7).stringField(8, "ids")   // dims packed [2]
                .bytesField(9, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(5).putLong(-1).array());
        ProtoWriter half = new ProtoWriter().varintField(1, 2).varintField(2, 10).stringField(8, "h")
                .varintField(5, 0x3C00).varintField(5, 0xC000);       // FLOAT16 bits in int32_data
        ProtoWriter constant = node("Constant", "c", List.of(), List.of("eps"))
                .messageField(5, new ProtoWriter().stringField(1, "value").messageField(5, floatTensor("", new long[]{}, 1e-12f)).varintField(20, 4));
        ProtoWriter graph = new ProtoWriter().messageField(1, constant)
                .messageField(1, node("MatMul", "mm", List.of("x", "w"), List.of("y")))
                .stringField(2, "g")
                .messageField(5, floatTensor("w", new long[]{2, 3}, 1, 2, 3, 4, 5, 6))
                .messageField(5, rawI64).messageField(5, half);
        byte[] model = new ProtoWriter().varintField(1, 8).messageField(7, graph).stringField(2, "producer").toBytes();

        OnnxGraph g = OnnxGraph.parse(ByteBuffer.wrap(model), "hand.onnx");
        assertEquals(List.of("w", "ids", "h"), List.copyOf(g.initializers().keySet()));
        assertArrayEquals(new long[]{2, 3}, g.initializers().get("w").shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, g.initializers().get("w").toFloats());
        assertArrayEquals(new long[]{5, -1}, g.initializers().get("ids").toLongs());
        assertEquals(DType.F16, g.initializers().get("h").dtype());
        assertArrayEquals(new float[]{1, -2}, g.initializers().get("h").toFloats());
        assertArrayEquals(new float[]{1e-12f}, g.constants().get("eps").toFloats());
        assertEquals(new OnnxGraph.Node("mm", "MatMul", List.of("x", "w"), List.of("y")), g.nodes().get(1));
    }

    @Test
    void malformedProtobufIsReportedWithTheSource() {
        byte[] truncated = new ProtoWriter().messageField(7, new ProtoWriter().stringField(2, "graph-name")).toBytes();
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 3);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxGraph.parse(ByteBuffer.wrap(cut), "cut.onnx"));
        assertTrue(e.getMessage().startsWith("cut.onnx") && e.getMessage().contains("exceeds"), e.getMessage());
        OnnxFormatException noGraph = assertThrows(OnnxFormatException.class,
                () -> OnnxGraph.parse(ByteBuffer.wrap(new ProtoWriter().varintField(1, 8).toBytes()), "empty.onnx"));
        assertTrue(noGraph.getMessage().contains("no graph"), noGraph.getMessage());
    }

    /** A one-layer BERT with hidden 2: every named tensor plus anonymous MatMul weights followed by Add(bias). */
    private static OnnxGraph tinyBertGraph(boolean dropValueBias) {
        BertConfig cfg = tinyConfig();
        Map<String, NdArray> inits = new LinkedHashMap<>();
        List<OnnxGraph.Node> nodes = new java.util.ArrayList<>();
        int anon = 100;
        for (Map.Entry<String, long[]> e : cfg.stateDictShapes(true).entrySet()) {
            String name = e.getKey();
            long[] s = e.getValue();
            int n = (int) NdArray.numel(s);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = i + 1;
            if (name.endsWith(".weight") && s.length == 2 && !name.contains("embeddings")) {
                // ONNX holds W^T: [in, out]; values i+1 in that layout
                String w = "onnx::MatMul_" + anon++;
                inits.put(w, NdArray.ofFloats(v, (int) s[1], (int) s[0]));
                String bias = name.replace(".weight", ".bias");
                nodes.add(new OnnxGraph.Node(name + "/MatMul", "MatMul", List.of("x", w), List.of(name + "/mm")));
                nodes.add(new OnnxGraph.Node(name + "/Add", "Add", List.of(bias, name + "/mm"), List.of(name + "/out")));
            } else if (!(dropValueBias && name.equals("encoder.layer.0.attention.self.value.bias"))) {
                inits.put(name.startsWith("embeddings") ? "bert." + name : name, NdArray.ofFloats(v, java.util.Arrays.stream(s).mapToInt(x -> (int) x).toArray()));
            }
        }
        inits.put("embeddings.position_ids", NdArray.ofLongs(new long[]{0, 1, 2}, 1, 3));
        return new OnnxGraph(inits, Map.of(), nodes);
    }

    private static BertConfig tinyConfig() {
        return new BertConfig("bert", 4, 2, 1, 1, 3, "gelu", 3, 1, 1e-12, 0);
    }

    @Test
    void anonymousMatMulWeightsAreNamedFromTheirBiasAndTransposed() {
        Map<String, NdArray> sd = OnnxBertImporter.stateDict(tinyBertGraph(false), tinyConfig(), true, "tiny");
        assertEquals(tinyConfig().stateDictShapes(true).keySet(), sd.keySet());
        // intermediate.dense: ONNX [in=2, out=3] = [[1,2,3],[4,5,6]] -> torch [out=3, in=2] = [[1,4],[2,5],[3,6]]
        NdArray w = sd.get("encoder.layer.0.intermediate.dense.weight");
        assertArrayEquals(new long[]{3, 2}, w.shape());
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, w.toFloats());
        assertArrayEquals(new float[]{1, 3, 2, 4}, sd.get("encoder.layer.0.attention.self.query.weight").toFloats());
        assertTrue(sd.containsKey("embeddings.word_embeddings.weight"), "bert. prefix stripped");
        assertFalse(sd.containsKey("embeddings.position_ids"), "buffer dropped");
    }

    @Test
    void missingTensorsAreListed() {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxBertImporter.stateDict(tinyBertGraph(true), tinyConfig(), true, "tiny"));
        assertTrue(e.getMessage().contains("attention.self.value.weight/MatMul") && e.getMessage().contains("cannot name its weight"), e.getMessage());
        Map<String, NdArray> sd = OnnxBertImporter.stateDict(tinyBertGraph(false), tinyConfig(), true, "tiny");
        Map<String, NdArray> without = new LinkedHashMap<>(sd);
        without.remove("pooler.dense.bias");
        OnnxFormatException e2 = assertThrows(OnnxFormatException.class, () -> OnnxBertImporter.check(without, tinyConfig().stateDictShapes(true), "tiny"));
        assertTrue(e2.getMessage().contains("missing [pooler.dense.bias]"), e2.getMessage());
    }
}
