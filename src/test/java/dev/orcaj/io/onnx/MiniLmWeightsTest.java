package dev.orcaj.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.orcaj.io.BertConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.io.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The embedded all-MiniLM-L6-v2 ONNX mapped to HF BERT names. Values are checked against onnxruntime: the model is
 * re-run with intermediate values exposed as extra graph outputs, and plain-loop embeddings / Linear layers built
 * from the imported weights must reproduce them (this fails if a weight is not transposed or misnamed).
 */
class MiniLmWeightsTest {
    static Map<String, NdArray> sd;
    static byte[] model;

    @BeforeAll
    static void load() throws Exception {
        sd = MiniLmWeights.load();
        try (InputStream in = MiniLmWeights.class.getClassLoader().getResourceAsStream(MiniLmWeights.RESOURCE)) {
            model = in.readAllBytes();
        }
    }

    @Test
    void everyEncoderTensorIsPresentWithHfShape() {
        Map<String, long[]> expected = BertConfig.allMiniLmL6V2().stateDictShapes(false);
        assertEquals(expected.keySet(), sd.keySet());
        assertEquals(5 + 6 * 16, sd.size());
        expected.forEach((k, s) -> assertArrayEquals(s, sd.get(k).shape(), k));
        assertArrayEquals(new long[]{1536, 384}, sd.get("encoder.layer.3.intermediate.dense.weight").shape());
        assertFalse(sd.containsKey("pooler.dense.weight"), "the export has no pooler (pruned: unused by mean pooling)");
    }

    @Test
    void layerNormWeightsAreTrainedNotConstant() {
        float[] g = sd.get("encoder.layer.5.output.LayerNorm.weight").toFloats();
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : g) { min = Math.min(min, v); max = Math.max(max, v); }
        assertTrue(max - min > 0.1f, "LayerNorm gamma spread " + min + ".." + max);
    }

    @Test
    void graphConstantsConfirmEpsAndHeadDim() throws Exception {
        OnnxGraph g = MiniLmWeights.graph();
        OnnxGraph.Node lnAdd = g.nodes().stream().filter(n -> n.name().equals("/embeddings/LayerNorm/Add")).findFirst().orElseThrow();
        assertArrayEquals(new float[]{1e-12f}, g.constants().get(lnAdd.inputs().get(1)).toFloats(), "LayerNorm eps");
        OnnxGraph.Node div = g.nodes().stream().filter(n -> n.name().equals("/encoder/layer.0/attention/self/Div")).findFirst().orElseThrow();
        assertEquals((float) Math.sqrt(384 / 12), g.constants().get(div.inputs().get(1)).toFloats()[0], 1e-6f, "sqrt(head_dim)");
    }

    /** Appends a second ModelProto.graph (field 7) holding only extra outputs; protobuf merges it into the graph. */
    private static byte[] withOutputs(byte[] model, List<String> names) {
        ProtoWriter extra = new ProtoWriter();
        ProtoWriter floatType = new ProtoWriter().messageField(1, new ProtoWriter().varintField(1, 1));  // TypeProto.tensor_type.elem_type = FLOAT
        for (String n : names) extra.messageField(12, new ProtoWriter().stringField(1, n).messageField(2, floatType));
        return new ProtoWriter().raw(model).messageField(7, extra).toBytes();
    }

    @Test
    void importedWeightsReproduceOnnxRuntimeIntermediates() throws Exception {
        String emb = "/embeddings/LayerNorm/Add_1_output_0";
        String query = "/encoder/layer.0/attention/self/query/Add_output_0";
        String attnOut = "/encoder/layer.0/attention/output/LayerNorm/Add_1_output_0";
        String inter = "/encoder/layer.0/intermediate/dense/Add_output_0";
        long[] ids = Npy.read(TestFiles.weights("all-minilm-l6-v2-check/input_ids.npy")).toLongs();
        long[] mask = Npy.read(TestFiles.weights("all-minilm-l6-v2-check/attention_mask.npy")).toLongs();
        long[] types = Npy.read(TestFiles.weights("all-minilm-l6-v2-check/token_type_ids.npy")).toLongs();
        int b = 3, s = 16, h = 384;

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, float[]> ort = new HashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(withOutputs(model, List.of(emb, query, attnOut, inter)), opts)) {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                Map<String, long[]> data = Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
                for (String name : session.getInputNames()) {
                    inputs.put(name, OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(data.get(name)), new long[]{b, s}));
                }
                try (OrtSession.Result r = session.run(inputs, Set.of(emb, query, attnOut, inter))) {
                    for (String name : List.of(emb, query, attnOut, inter)) {
                        FloatBuffer fb = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        ort.put(name, v);
                    }
                }
                inputs.values().forEach(OnnxTensor::close);
            }
        }

        // embeddings: LayerNorm(word[id] + position[t] + token_type[type]), eps 1e-12, plain loops in double
        float[] word = sd.get("embeddings.word_embeddings.weight").toFloats();
        float[] pos = sd.get("embeddings.position_embeddings.weight").toFloats();
        float[] typ = sd.get("embeddings.token_type_embeddings.weight").toFloats();
        float[] gamma = sd.get("embeddings.LayerNorm.weight").toFloats(), beta = sd.get("embeddings.LayerNorm.bias").toFloats();
        float[] mine = new float[b * s * h];
        for (int row = 0; row < b * s; row++) {
            double[] x = new double[h];
            for (int k = 0; k < h; k++) x[k] = (double) word[(int) ids[row] * h + k] + pos[(row % s) * h + k] + typ[(int) types[row] * h + k];
            double mean = Arrays.stream(x).average().orElseThrow();
            double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
            for (int k = 0; k < h; k++) mine[row * h + k] = (float) ((x[k] - mean) / Math.sqrt(var + 1e-12) * gamma[k] + beta[k]);
        }
        double embErr = maxAbsDiff(mine, ort.get(emb));
        assertTrue(embErr < 1e-4, "embeddings max abs diff " + embErr);

        double qErr = maxAbsDiff(linear(ort.get(emb), "encoder.layer.0.attention.self.query", h, h), ort.get(query));
        assertTrue(qErr < 1e-4, "query Linear max abs diff " + qErr);
        double iErr = maxAbsDiff(linear(ort.get(attnOut), "encoder.layer.0.intermediate.dense", h, 1536), ort.get(inter));
        assertTrue(iErr < 1e-4, "intermediate Linear max abs diff " + iErr);
        System.out.printf("MiniLM vs onnxruntime: embeddings %.2e, query %.2e, intermediate %.2e%n", embErr, qErr, iErr);
    }

    /** y = x W^T + b with W in torch [out, in] layout, accumulated in double. */
    private static float[] linear(float[] x, String prefix, int in, int out) {
        float[] w = sd.get(prefix + ".weight").toFloats(), bias = sd.get(prefix + ".bias").toFloats();
        int rows = x.length / in;
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = bias[o];
                for (int i = 0; i < in; i++) acc += (double) x[r * in + i] * w[o * in + i];
                y[r * out + o] = (float) acc;
            }
        }
        return y;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
