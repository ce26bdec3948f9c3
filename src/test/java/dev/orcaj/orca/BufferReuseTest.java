package dev.orcaj.orca;

import dev.orcaj.io.BertConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Parameter;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.GradClip;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.tensor.BufferPool;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Buffer reuse (tensor.BufferPool) changes no number: N training steps of a small BERT with reuse on are bitwise
 * identical to reuse off (losses, every weight, the optimizer's moments), with dropout, gradient clipping and
 * gradient accumulation across steps; and stage 3 (RefineStage, the loop of {@code orca run}) gives bitwise the same
 * model and metrics with its default (reuse on) as with {@code -Dorcaj.bufferReuse=false}.
 */
class BufferReuseTest {
    private static final BertConfig SMALL = new BertConfig("bert", 100, 64, 2, 4, 128, "gelu", 32, 2, 1e-12, 0);
    private static final int BATCH = 4, SEQ = 16, STEPS = 6;

    /** Losses (as raw bits), then weights and optimizer state after the last step. */
    private record Trace(List<Long> losses, Map<String, float[]> weights, long pooledReuses) {}

    private static Trace train(boolean reuse, int accum) {
        BertModel body = new BertModel(SMALL, false, 1);
        body.setDropout(0.1, 0.1);
        body.train(true);
        Linear head = new Linear(SMALL.hiddenSize(), 3, true, new SplittableRandom(3));
        List<Parameter> params = new ArrayList<>(body.trainableParameters());
        params.addAll(head.trainableParameters());
        AdamW opt = new AdamW(List.of(ParamGroup.of(params)), 1e-3, 0.9, 0.999, 1e-8, 0.01);
        BufferPool pool = reuse ? new BufferPool() : null;
        SplittableRandom data = new SplittableRandom(2);
        List<Long> losses = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            int[] ids = new int[BATCH * SEQ], mask = new int[BATCH * SEQ], labels = new int[BATCH];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1 + data.nextInt(99);
                mask[i] = i % SEQ < SEQ - (i / SEQ) ? 1 : 0; // rows padded by 0..3 tokens
            }
            for (int r = 0; r < BATCH; r++) labels[r] = data.nextInt(3);
            try (var step = pool == null ? null : pool.open()) {
                Tensor h = body.forward(ids, mask, null, BATCH, SEQ).lastHiddenState();
                Tensor loss = Functional.crossEntropy(head.forward(h.mean(1)), labels);
                losses.add(Double.doubleToRawLongBits(loss.item()));
                (accum == 1 ? loss : loss.mul(1.0 / accum)).backward();
                if ((s + 1) % accum == 0) {
                    GradClip.clipGradNorm(params, 0.5); // replaces gradients with setGrad inside the step
                    opt.step();
                    opt.zeroGrad();
                }
            }
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        body.namedParameters().forEach((n, p) -> weights.put(n, p.get().toFloatArray()));
        head.namedParameters().forEach((n, p) -> weights.put("head." + n, p.get().toFloatArray()));
        opt.stateDict().forEach((n, t) -> weights.put("opt." + n, t.toFloatArray()));
        return new Trace(losses, weights, pool == null ? 0 : pool.reused());
    }

    @Test
    void smallBertStepsAreBitwiseTheSameWithReuseOnAndOff() {
        for (int accum : new int[] {1, 2}) {
            Trace off = train(false, accum), on = train(true, accum);
            assertTrue(on.pooledReuses() > 100, "the pool was used (reuses: " + on.pooledReuses() + ")");
            assertEquals(off.losses(), on.losses(), "losses, accum " + accum);
            assertEquals(off.weights().keySet(), on.weights().keySet());
            off.weights().forEach((n, w) -> assertArrayEquals(w, on.weights().get(n), n + ", accum " + accum));
            assertTrue(off.weights().keySet().stream().anyMatch(k -> k.endsWith("exp_avg_sq")), "optimizer state compared");
        }
    }

    private record RefineTrace(Map<String, float[]> weights, List<Double> epochLosses, Map<String, Double> test) {}

    private static RefineTrace refine(boolean reuse) {
        String before = System.getProperty("orcaj.bufferReuse");
        System.setProperty("orcaj.bufferReuse", Boolean.toString(reuse));
        try {
            var body = TinyTask.body().get();
            SplittableRandom rng = new SplittableRandom(5);
            Embedder e = new Embedder(TinyTask.SPEC, body, 0, rng);
            OrcaModel m = new OrcaModel(e, body, new Predictor(TinyTask.SPEC, e.plan, body, false, rng));
            // batch 8 of 40 rows, accumulation over 2 batches (one step spans two pool steps), clipping, dropout
            TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-2, 0.01, 0.9, 2, 8, 2, 1.0, 0, 2, false, 0.1, false, 0, 3);
            RefineStage.Result r = RefineStage.run(m, TinyTask.SPEC, TinyTask.data(40, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), cfg, Progress.SILENT);
            Map<String, float[]> weights = new LinkedHashMap<>();
            m.namedParameters().forEach((n, p) -> weights.put(n, p.get().toFloatArray()));
            return new RefineTrace(weights, r.epochs().stream().map(RefineStage.EpochLog::trainLoss).toList(), r.test());
        } finally {
            if (before == null) System.clearProperty("orcaj.bufferReuse"); else System.setProperty("orcaj.bufferReuse", before);
        }
    }

    @Test
    void stage3IsBitwiseTheSameWithReuseOnAndOff() {
        long before = BufferPool.reusedAnywhere();
        RefineTrace off = refine(false);
        assertEquals(before, BufferPool.reusedAnywhere(), "-Dorcaj.bufferReuse=false: no pool");
        RefineTrace on = refine(true);
        assertTrue(BufferPool.reusedAnywhere() - before > 100, "stage 3 reused buffers: " + (BufferPool.reusedAnywhere() - before));
        assertEquals(off.epochLosses(), on.epochLosses());
        assertEquals(off.weights().keySet(), on.weights().keySet());
        off.weights().forEach((n, w) -> assertArrayEquals(w, on.weights().get(n), n));
        assertEquals(off.test(), on.test());
    }
}
