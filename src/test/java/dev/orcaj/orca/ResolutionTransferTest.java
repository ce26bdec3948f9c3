package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-shot resolution transfer (paper Table 16): a dense model trained at one resolution with a k = 1 embedder runs at
 * another, with each token keeping its position row and the head folding onto the new grid.
 */
class ResolutionTransferTest {
    @Test
    void denseModelRunsAtDoubleResolution() {
        Body body = TinyTask.body().get(); // tiny random BERT
        TaskSpec task = new TaskSpec("pde", new int[] {1, 8}, TaskSpec.OutputKind.DENSE, 1);
        Embedder e = new Embedder(task, body, 1, new SplittableRandom(1));
        OrcaModel m = new OrcaModel(e, body, new Predictor(task, e.plan, body, false, new SplittableRandom(2)));
        m.train(false);
        Tensor x32 = Tensor.randn(DType.F32, new SplittableRandom(3), 1, 2, 1, 16);
        assertArrayEquals(new int[] {2, 1, 16}, m.forward(x32).shape());
        // the first 8 tokens see the same embedder rows and positions as an 8-long input would
        Tensor tokens32 = e.forward(x32), tokens16 = e.forward(x32.slice(2, 0, 8));
        assertArrayEquals(tokens16.toFloatArray(), tokens32.slice(1, 0, 8).contiguous().toFloatArray(), 0f);
        int limit = e.positions.get().shape(0);
        var err = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(1, 1, limit + 1)));
        assertTrue(err.getMessage().contains("positions"), err.getMessage());
    }

    @Test
    void planKeepsKAndPadsOtherExtents() {
        PatchPlan p = PatchPlan.choose(new int[] {256}, 512, 1);
        PatchPlan q = p.forExtent(new int[] {512});
        assertEquals(1, q.k());
        assertEquals(512, q.tokens());
        PatchPlan r = PatchPlan.choose(new int[] {12}, 512, 4).forExtent(new int[] {14});
        assertArrayEquals(new int[] {16}, r.padded());
        assertEquals(4, r.tokens());
    }

}
