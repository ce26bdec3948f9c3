package dev.orcaj.orca;

import dev.orcaj.io.HeapBudget;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 11 item 4: the memory estimate printed before training, and the refusal when it exceeds the heap. */
class MemoryEstimateTest {
    private static OrcaModel tinyModel() {
        TaskSpec task = new TaskSpec("tiny", new int[] {1, 24}, TaskSpec.OutputKind.CLASSES, 2);
        var body = TinyTask.body().get();
        SplittableRandom rng = new SplittableRandom(1);
        Embedder e = new Embedder(task, body, 0, rng);
        return new OrcaModel(e, body, new Predictor(task, e.plan, body, false, rng));
    }

    @Test
    void termsFollowTheOptimizerAndTheBatch() {
        OrcaModel m = tinyModel();
        long p = m.parameterCount();
        TrainConfig adamw = TrainConfig.defaults().withEpochs(1);
        MemoryEstimate a = MemoryEstimate.of(m, adamw, 1000);
        assertEquals(p, a.parameters());
        assertEquals(4 * p, a.parameterBytes());
        assertEquals(4 * p, a.gradientBytes());
        assertEquals(8 * p, a.optimizerBytes(), "AdamW keeps two float32 moments per parameter");
        assertEquals(32, a.batch());
        // tiny BERT (hidden 16, intermediate 32, 2 heads, 2 layers) over the embedder's tokens, counted by hand:
        int t = m.embedder.plan.tokens();
        long perLayer = t * (6L * 16 + 2L * 32) + 2L * t * t;
        assertEquals(4 * 2 * perLayer * 32, a.activationBytes());
        TrainConfig sgd = new TrainConfig(OptimizerKind.SGD, 1e-3, 0, 0.9, 1, 8, 1, 1, 0, 1, false, 0, false, 0, 0);
        assertEquals(4 * p, MemoryEstimate.of(m, sgd, 1000).optimizerBytes(), "SGD with momentum keeps one buffer");
        TrainConfig plain = new TrainConfig(OptimizerKind.SGD, 1e-3, 0, 0, 1, 8, 1, 1, 0, 1, false, 0, false, 0, 0);
        assertEquals(0, MemoryEstimate.of(m, plain, 1000).optimizerBytes());
        assertEquals(5, MemoryEstimate.of(m, plain, 5).batch(), "a batch never holds more than the training rows");
    }

    @Test
    void trainingThatCannotFitTheHeapIsRefusedWithTheNumbers() {
        MemoryEstimate fits = new MemoryEstimate(10, 40, 40, 80, 1000, 4);
        fits.requireFits();
        MemoryEstimate huge = new MemoryEstimate(10, 40, 40, 80, HeapBudget.maxHeap(), 4096);
        var e = assertThrows(HeapBudget.InsufficientHeapException.class, huge::requireFits);
        assertTrue(e.getMessage().startsWith("training will not fit: memory estimate: "), e.getMessage());
        assertTrue(e.getMessage().contains("activations for a batch of 4096") && e.getMessage().contains("--batch-size")
                && e.getMessage().contains("-Xmx"), e.getMessage());
    }
}
