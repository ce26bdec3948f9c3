package dev.orcaj.optim;

import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import static dev.orcaj.optim.OptimTestSupport.deepCopy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end on a noiseless linear regression y = X·(1.5, −2, 0.5) + 0.3 (F32): convergence and exact resume. */
class TrainingTest {
    private static final Tensor X, Y;

    static {
        SplittableRandom rng = new SplittableRandom(11);
        X = Tensor.randn(DType.F32, rng, 1, 64, 3);
        float[] y = new float[64];
        float[] x = X.toFloatArray();
        for (int i = 0; i < 64; i++) y[i] = 1.5f * x[3 * i] - 2f * x[3 * i + 1] + 0.5f * x[3 * i + 2] + 0.3f;
        Y = Tensor.of(y, 64, 1);
    }

    private static final Map<String, Function<List<ParamGroup>, Optimizer>> OPTIMIZERS = Map.of(
            "SGD momentum", g -> new Sgd(g, 0.05, 0.9, 0),
            "SGD nesterov+wd", g -> new Sgd(g, 0.05, 0.9, 0, 1e-4, true),
            "Adam", g -> new Adam(g, 0.05, 0.9, 0.98, 1e-8, 0),
            "AdamW", g -> new AdamW(g, 0.05, 0.9, 0.98, 1e-8, 1e-3));

    /** Full-batch steps {@code from..to-1} under a warmup schedule; returns the last loss. */
    private static double train(Linear m, Optimizer opt, LrSchedule schedule, int from, int to) {
        double loss = Double.NaN;
        for (int it = from; it < to; it++) {
            opt.setLr(schedule.lrAt(it));
            Tensor l = Functional.mse(m.forward(X), Y);
            loss = l.item();
            l.backward();
            GradClip.clipGradNorm(opt, 5);
            opt.step();
            opt.zeroGrad();
        }
        return loss;
    }

    private static double loss(Linear m) { return Functional.mse(m.forward(X), Y).item(); }

    @Test
    void everyOptimizerFitsTheRegression() {
        for (var e : OPTIMIZERS.entrySet()) {
            Linear m = new Linear(3, 1, true, new SplittableRandom(5));
            double before = loss(m);
            Optimizer opt = e.getValue().apply(List.of(ParamGroup.of(m)));
            train(m, opt, LrSchedule.linearWarmupDecay(opt.lr(), 10, 300), 0, 300);
            double after = loss(m);
            System.out.printf("%s: loss %.4g -> %.4g (%.0fx)%n", e.getKey(), before, after, before / after);
            assertTrue(after < before / 10, e.getKey() + ": loss " + before + " -> " + after);
        }
    }

    @Test
    void resumingFromExportedStateIsBitIdentical() {
        for (var e : OPTIMIZERS.entrySet()) {
            LrSchedule schedule = LrSchedule.linearWarmupDecay(0.05, 3, 20);
            Linear a = new Linear(3, 1, true, new SplittableRandom(5));
            Optimizer optA = e.getValue().apply(List.of(ParamGroup.of(a)));
            train(a, optA, schedule, 0, 8);
            Map<String, Tensor> modelCheckpoint = deepCopy(a.stateDict());
            Map<String, Tensor> optCheckpoint = optA.stateDict();
            train(a, optA, schedule, 8, 16);

            Linear b = new Linear(3, 1, true, new SplittableRandom(99)); // different init, overwritten by the checkpoint
            b.loadStateDict(modelCheckpoint, true);
            Optimizer optB = e.getValue().apply(List.of(ParamGroup.of(b)));
            optB.loadStateDict(optCheckpoint);
            train(b, optB, schedule, 8, 16);

            assertArrayEquals(a.weight.get().toFloatArray(), b.weight.get().toFloatArray(), e.getKey());
            assertArrayEquals(a.bias.get().toFloatArray(), b.bias.get().toFloatArray(), e.getKey());
            Map<String, Tensor> sa = optA.stateDict(), sb = optB.stateDict();
            assertEquals(sa.keySet(), sb.keySet());
            for (String k : sa.keySet()) assertArrayEquals(sa.get(k).toDoubleArray(), sb.get(k).toDoubleArray(), 0, e.getKey() + " " + k);
            assertEquals(16, sa.get("weight.step").item());
        }
    }

    @Test
    void exportIsACopyAndABadImportChangesNothing() {
        Linear m = new Linear(3, 1, true, new SplittableRandom(5));
        Adam opt = new Adam(List.of(ParamGroup.of(m)), 0.01, 0.9, 0.999, 1e-8, 0);
        train(m, opt, LrSchedule.constant(0.01), 0, 2);
        Map<String, Tensor> saved = opt.stateDict();
        double[] savedM = saved.get("weight.exp_avg").toDoubleArray();
        train(m, opt, LrSchedule.constant(0.01), 2, 3);
        assertArrayEquals(savedM, saved.get("weight.exp_avg").toDoubleArray(), 0, "a later step must not write into an export");
        Map<String, Tensor> before = opt.stateDict();

        Map<String, Tensor> wrongShape = deepCopy(saved);
        wrongShape.put("bias.exp_avg", Tensor.zeros(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(wrongShape)).getMessage().contains("'bias.exp_avg'"));
        Map<String, Tensor> unknown = deepCopy(saved);
        unknown.put("encoder.weight.exp_avg", Tensor.zeros(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(unknown)).getMessage().contains("encoder.weight.exp_avg"));
        Map<String, Tensor> missing = deepCopy(saved);
        missing.remove("weight.exp_avg_sq");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(missing)).getMessage().contains("'weight.exp_avg_sq' is missing"));
        Map<String, Tensor> badStep = deepCopy(saved);
        badStep.put("weight.step", Tensor.of(new double[] {2.5}));
        assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(badStep));

        Map<String, Tensor> after = opt.stateDict();
        for (String k : before.keySet()) assertArrayEquals(before.get(k).toDoubleArray(), after.get(k).toDoubleArray(), 0, k);
    }

    @Test
    void stateOfAParameterThatChangedDtypeIsRejected() {
        Linear m = new Linear(3, 1, true, new SplittableRandom(5));
        Sgd opt = new Sgd(List.of(ParamGroup.of(m)), 0.01, 0.9, 0);
        train(m, opt, LrSchedule.constant(0.01), 0, 1);
        m.to(DType.F64);
        for (Parameter p : m.trainableParameters()) p.get().setGrad(Tensor.zeros(DType.F64, p.get().shape()));
        assertTrue(assertThrows(IllegalStateException.class, opt::step).getMessage().contains("'weight'"));
    }
}
