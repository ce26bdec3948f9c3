package dev.orcaj.nn;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.models.StateDicts;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Init#valuesReplaced}: zeros of the right shape, and the generator left where the real initializer leaves it. */
class InitTest {

    @Test
    void skippedInitializersAdvanceTheGeneratorExactlyAsTheRealOnes() {
        for (int[] shape : new int[][] {{7, 3}, {4, 4}, {1}, {5}}) { // odd and even sizes (Box-Muller draws pairs)
            SplittableRandom real = new SplittableRandom(11), skipped = new SplittableRandom(11);
            Tensor n = Init.normal(real, 0.02, shape);
            Tensor u = Init.uniform(real, 0.5, shape);
            Tensor[] z = Init.valuesReplaced(() -> new Tensor[] {Init.normal(skipped, 0.02, shape), Init.uniform(skipped, 0.5, shape)});
            assertArrayEquals(n.shape(), z[0].shape());
            assertArrayEquals(u.shape(), z[1].shape());
            assertArrayEquals(new float[n.numel()], z[0].toFloatArray());
            assertArrayEquals(new float[u.numel()], z[1].toFloatArray());
            assertEquals(real.nextLong(), skipped.nextLong(), "generator state after shape " + java.util.Arrays.toString(shape));
        }
        SplittableRandom rng = new SplittableRandom(3);
        Tensor outside = Init.normal(rng, 1, 6);
        assertEquals(6, outside.numel());
        float sum = 0;
        for (float v : outside.toFloatArray()) sum += Math.abs(v);
        org.junit.jupiter.api.Assertions.assertTrue(sum > 0, "outside valuesReplaced the values are random again");
    }

    /**
     * A body built from a state dict (values skipped, then loaded) equals the random body the state dict came from,
     * dropout generators included: a training-mode forward with dropout on is bitwise the same.
     */
    @Test
    void pretrainedBertBuiltWithoutRandomValuesMatchesTheModelItWasSavedFrom() {
        BertConfig cfg = new BertConfig("bert", 20, 16, 2, 4, 32, "gelu", 8, 2, 1e-12, 0);
        BertModel original = new BertModel(cfg, true, 0); // fromStateDict builds with seed 0 as well
        Map<String, NdArray> state = new LinkedHashMap<>();
        original.namedParameters().forEach((name, p) -> state.put(name, StateDicts.toNdArray(p.get())));
        BertModel loaded = BertModel.fromStateDict(cfg, state, "test");
        loaded.namedParameters().forEach((name, p) -> assertArrayEquals(state.get(name).toFloats(), p.get().toFloatArray(), name));
        int[] ids = {1, 5, 7, 19, 3, 0, 2, 2};
        float[] a = trainForward(original, ids), b = trainForward(loaded, ids);
        assertArrayEquals(a, b, "dropout masks differ: the generator was not advanced as in a random build");
        original.train(false);
        float[] noDropout = original.forward(ids, null, null, 2, 4).lastHiddenState().toFloatArray();
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(a, noDropout), "dropout must be active for the comparison to mean anything");
    }

    private static float[] trainForward(BertModel m, int[] ids) {
        m.setDropout(0.3, 0.3);
        m.train(true);
        return m.forward(ids, null, null, 2, 4).lastHiddenState().toFloatArray();
    }
}
