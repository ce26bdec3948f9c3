package dev.orcaj.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool itself: what is recycled, what survives a step, and that a released tensor throws on any access. */
class BufferPoolTest {
    private static final int N = 4 * BufferPool.MIN_LENGTH;

    @Test
    void aClosedStepsTensorsThrowOnEveryAccess() {
        BufferPool pool = new BufferPool();
        Tensor t, view;
        try (var step = pool.open()) {
            t = Tensor.ones(N);
            view = t.reshape(4, N / 4).slice(0, 1, 3);
            assertEquals(1.0, t.get(3));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.get(0));
        assertTrue(e.getMessage().contains("after its training step closed"), e.getMessage());
        assertThrows(IllegalStateException.class, t::toFloatArray);
        assertThrows(IllegalStateException.class, view::toFloatArray);
        assertThrows(IllegalStateException.class, () -> t.storage().f());
        assertThrows(IllegalStateException.class, () -> t.set(2.0, 1));
        assertThrows(IllegalStateException.class, () -> t.add(t));
    }

    @Test
    void arraysAreReusedByTheNextStepAndComeBackZeroed() {
        BufferPool pool = new BufferPool();
        float[] first;
        try (var step = pool.open()) {
            Tensor t = Tensor.full(DType.F32, 7, N);
            first = t.storage().readF();
        }
        assertEquals(N, pool.freeFloats());
        try (var step = pool.open()) {
            Tensor z = Tensor.zeros(N);
            assertSame(first, z.storage().readF(), "the same length takes the array the last step gave back");
            assertArrayEquals(new float[N], z.toFloatArray(), "a reused array is zero-filled like a fresh one");
            Tensor other = Tensor.zeros(N + 1);
            assertNotSame(first, other.storage().readF());
            assertEquals(N + 1, other.storage().readF().length, "exact lengths only: kernels may read the array's length");
        }
        assertEquals(3, pool.taken());
        assertEquals(1, pool.reused());
        pool.trim();
        assertEquals(0, pool.freeFloats());
    }

    @Test
    void whatMustSurviveAStepSurvivesIt() {
        BufferPool pool = new BufferPool();
        Tensor outside = Tensor.ones(N);
        Tensor small, kept, unpooled, leaf = Tensor.zeros(N).requiresGrad(true), other = Tensor.zeros(N).requiresGrad(true);
        Tensor fromOtherThread;
        try (var step = pool.open()) {
            small = Tensor.ones(BufferPool.MIN_LENGTH - 1);
            kept = step.keep(Tensor.ones(N));
            unpooled = BufferPool.unpooled(() -> Tensor.ones(N));
            leaf.setGrad(Tensor.ones(N));  // still attached at close: gradient accumulation goes on next step
            other.setGrad(Tensor.ones(N));
            other.zeroGrad();              // dropped inside the step: released
            AtomicReference<Tensor> r = new AtomicReference<>();
            Thread th = new Thread(() -> r.set(Tensor.ones(N)));
            th.start();
            th.join();
            fromOtherThread = r.get();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        for (Tensor t : new Tensor[] {outside, small, kept, unpooled, leaf.grad(), fromOtherThread}) {
            float[] expect = new float[t.numel()];
            Arrays.fill(expect, 1f);
            assertArrayEquals(expect, t.toFloatArray());
        }
        assertEquals(N, pool.freeFloats(), "of the step's pooled storages only the dropped gradient went back");
    }

    @Test
    void stepsDoNotNestAndCloseTwiceIsHarmless() {
        BufferPool pool = new BufferPool();
        var step = pool.open();
        assertThrows(IllegalStateException.class, pool::open);
        assertThrows(IllegalStateException.class, () -> new BufferPool().open());
        step.close();
        step.close();
        assertEquals(null, BufferPool.current());
        try (var again = pool.open()) {
            assertSame(again, BufferPool.current());
        }
    }

    @Test
    void backwardGivesConsumedGradientsBackBeforeTheStepCloses() {
        BufferPool pool = new BufferPool();
        SplittableRandom rng = new SplittableRandom(1);
        Tensor w = Tensor.randn(DType.F32, rng, 1, 32, 32).requiresGrad(true);
        Tensor x = Tensor.randn(DType.F32, rng, 1, 64, 32);
        float[] expected = gradient(w, x);
        w.zeroGrad();
        try (var step = pool.open()) {
            Tensor loss = x.matmul(w).tanh().matmul(w).gelu().square().sum();
            loss.backward();
            assertTrue(pool.freeFloats() > 0, "intermediate gradients went back during backward");
            assertArrayEquals(expected, w.grad().toFloatArray(), "bitwise the gradient computed without the pool");
        }
        assertArrayEquals(expected, w.grad().toFloatArray(), "the parameter's gradient outlives the step");
    }

    private static float[] gradient(Tensor w, Tensor x) {
        x.matmul(w).tanh().matmul(w).gelu().square().sum().backward();
        return w.grad().toFloatArray();
    }

    @Test
    void backwardReleasesTheForwardResultsItConsumedButNotTheLossOrWhatWasKept() {
        BufferPool pool = new BufferPool();
        SplittableRandom rng = new SplittableRandom(4);
        Tensor w = Tensor.randn(DType.F32, rng, 1, 32, 32).requiresGrad(true);
        Tensor x = Tensor.randn(DType.F32, rng, 1, 64, 32);
        try (var step = pool.open()) {
            Tensor hidden = x.matmul(w).tanh();
            Tensor kept = step.keep(x.matmul(w).gelu());
            Tensor loss = hidden.add(kept).square().mean();
            float[] keptBefore = kept.toFloatArray();
            loss.backward();
            assertThrows(IllegalStateException.class, hidden::toFloatArray, "consumed by backward: released at once");
            assertTrue(Double.isFinite(loss.item()), "the loss stays readable until the step closes");
            assertArrayEquals(keptBefore, kept.toFloatArray());
            assertTrue(!step.owns(hidden) && !step.owns(kept));
        }
    }
}
