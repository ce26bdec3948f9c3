package dev.orcaj.models.bert;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.orcaj.io.onnx.OnnxBertArtifact;
import dev.orcaj.io.onnx.PretrainedBert;
import dev.orcaj.models.Bodies;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.util.SplittableRandom;

import static dev.orcaj.models.bert.MiniLmOnnxParityTest.toLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bge-small-en-v1.5 and e5-small-v2 (12-layer BERTs, hidden 384, from their Maven artifacts on the test classpath)
 * imported from ONNX and run by our engine, against onnxruntime-java running the same ONNX file, on random padded
 * batches with both token types. Compared on non-padded tokens (as {@link MiniLmOnnxParityTest}). Measured max abs
 * differences 1.6e-6 to 6.7e-6 (last_hidden_state values are O(1-10)); tolerance 5e-5, headroom for other summation
 * orders (thread counts, SIMD widths), still 2x tighter than MiniLM's 1e-4.
 */
class PretrainedBertOnnxParityTest {

    @ParameterizedTest
    @EnumSource(value = PretrainedBert.class, names = {"BGE_SMALL", "E5_SMALL"})
    void randomPaddedBatchesMatchOnnxRuntime(PretrainedBert which) throws Exception {
        OnnxBertArtifact artifact = OnnxBertArtifact.classpath(which);
        BertModel model = Bodies.pretrained(artifact);
        model.train(false);
        assertEquals(12, model.config().numHiddenLayers());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] onnx;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(which.onnxResource())) {
            onnx = in.readAllBytes();
        }
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        try (OrtSession session = env.createSession(onnx, o)) {
            onnx = null;
            SplittableRandom rng = new SplittableRandom(7);
            int[][] lengths = {{7, 3, 5, 7}, {20, 11, 2}};
            for (int[] lens : lengths) {
                PaddedBatch p = PaddedBatch.random(lens, rng);
                int b = p.batch(), s = p.seq();
                int[] ids = p.ids(), mask = p.mask(), types = p.types();
                float[] ref = runOrt(env, session, toLong(ids), toLong(mask), toLong(types), b, s);
                Tensor last = model.forward(ids, mask, types, b, s).lastHiddenState();
                double d = MiniLmOnnxParityTest.maxDiffOnTokens(last, ref, mask);
                System.out.printf("%s %s vs ORT: %.3g%n", which.flag, java.util.Arrays.toString(lens), d);
                assertTrue(d <= 5e-5, which.flag + " " + java.util.Arrays.toString(lens) + ": max abs diff " + d);
            }
        }
    }

    static float[] runOrt(OrtEnvironment env, OrtSession session, long[] ids, long[] mask, long[] types, int b, int s) throws Exception {
        long[] shape = {b, s};
        java.util.Map<String, ai.onnxruntime.OnnxTensor> in = new java.util.HashMap<>();
        in.put("input_ids", ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids), shape));
        in.put("attention_mask", ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(mask), shape));
        if (session.getInputNames().contains("token_type_ids")) in.put("token_type_ids", ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(types), shape));
        try (OrtSession.Result r = session.run(in)) {
            float[] f = new float[b * s * 384];
            ((ai.onnxruntime.OnnxTensor) r.get(0)).getFloatBuffer().get(f);
            return f;
        } finally {
            for (var t : in.values()) t.close();
        }
    }
}
