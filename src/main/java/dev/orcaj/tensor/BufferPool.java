package dev.orcaj.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reuse of F32 host buffers from one training step to the next, so that the steady state of a training loop
 * allocates (almost) no tensor data. A training step's tensors have the same sizes every step; instead of leaving
 * each step's activations and gradients to the garbage collector and allocating them again, the loop opens a
 * {@link Step} around forward, backward and optimizer step, and every F32 storage of at least {@link #MIN_LENGTH}
 * elements that the opening thread allocates inside it takes an array of exactly that length from this pool
 * (zero-filled, as a fresh Java array is, so results are bitwise the same) and gives it back when the step closes.
 * The backward pass gives gradients of intermediate results back as soon as it has consumed them
 * ({@link Step#releaseNewer}), so the step never holds more than today's live set plus the arrays waiting here.
 *
 * <p>What survives a step: a parameter's gradient that is still attached to it when the step closes (gradient
 * accumulation over several steps), tensors passed to {@link Step#keep}, and anything allocated outside a step or by
 * {@link #unpooled} (optimizer moments). Everything else allocated in the step is released when it closes: its
 * storage throws {@link IllegalStateException} on any later access ("misuse fails loudly") rather than reading an
 * array that another step already reuses. The pool is confined to one thread; other threads allocate as usual.
 */
public final class BufferPool {
    /** Smaller storages are left to the collector: their bytes are negligible and the bookkeeping is not. */
    public static final int MIN_LENGTH = 256;

    private static final ThreadLocal<Step> CURRENT = new ThreadLocal<>();
    private static final java.util.concurrent.atomic.AtomicLong REUSED_ANYWHERE = new java.util.concurrent.atomic.AtomicLong();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long taken, reused;

    /** Opens a step on the calling thread: {@code try (var step = pool.open()) { forward; backward; step; zeroGrad; }}. */
    public Step open() {
        if (CURRENT.get() != null) throw new IllegalStateException("a BufferPool step is already open on thread " + Thread.currentThread().getName());
        Step s = new Step(this);
        CURRENT.set(s);
        return s;
    }

    /** The step open on the calling thread, or null. */
    public static Step current() { return CURRENT.get(); }

    /** Runs {@code body} with the calling thread's step (if any) suspended: what it allocates is never recycled. */
    public static <T> T unpooled(Supplier<T> body) {
        Step s = CURRENT.get();
        if (s == null) return body.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            CURRENT.set(s);
        }
    }

    /** Drops every array waiting for reuse (e.g. before evaluation, whose batch sizes differ). */
    public void trim() { free.clear(); }

    /** Floats held for reuse now. */
    public long freeFloats() {
        long n = 0;
        for (var e : free.entrySet()) n += (long) e.getKey() * e.getValue().size();
        return n;
    }

    /** Storages drawn from the pool so far, and how many of them reused an array. */
    public long taken() { return taken; }

    public long reused() { return reused; }

    /** Arrays reused by every pool of the process so far (tests check that a training loop used its pool). */
    public static long reusedAnywhere() { return REUSED_ANYWHERE.get(); }

    /** Called by {@link Storage#allocate}: a pooled F32 storage of n elements when a step is open here, else null. */
    static Storage allocate(int n) {
        if (n < MIN_LENGTH) return null;
        Step s = CURRENT.get();
        return s == null ? null : s.allocate(n);
    }

    /** Called by {@link Tensor#setGrad}: a gradient set on a leaf inside a step survives the step while attached. */
    static void gradientSet(Tensor leaf, Tensor grad) {
        Step s = CURRENT.get();
        if (s != null && grad.storage().owner == s) s.leavesWithGrads.add(leaf);
    }

    /** One training step's buffers; see {@link BufferPool}. Not thread-safe: used by the thread that opened it. */
    public static final class Step implements AutoCloseable {
        private final BufferPool pool;
        private final List<Storage> owned = new ArrayList<>();
        final List<Tensor> leavesWithGrads = new ArrayList<>();
        private boolean closed;

        private Step(BufferPool pool) { this.pool = pool; }

        private Storage allocate(int n) {
            ArrayDeque<float[]> q = pool.free.get(n);
            float[] a = q == null ? null : q.pollLast();
            pool.taken++;
            if (a == null) {
                a = new float[n];
            } else {
                pool.reused++;
                REUSED_ANYWHERE.incrementAndGet();
                java.util.Arrays.fill(a, 0f); // as a fresh array: kernels and Tensor.zeros rely on zeros
            }
            Storage st = Storage.pooled(a, this, owned.size());
            owned.add(st);
            return st;
        }

        /** A mark: storages allocated after it have a serial {@code >= mark} (see {@link #releaseNewer}). */
        public int mark() { return owned.size(); }

        /**
         * Gives {@code t}'s storage back now if this step allocated it after {@code mark} and it is not a
         * parameter's gradient; the caller guarantees nothing references it any more (the backward pass does so
         * for gradients of intermediate results it has consumed). Returns whether it was released.
         */
        public boolean releaseNewer(Tensor t, int mark) {
            Storage st = t.storage();
            if (st.owner != this || st.serial < mark || st.isReleased()) return false;
            for (Tensor leaf : leavesWithGrads) if (leaf.grad() != null && leaf.grad().storage() == st) return false;
            release(st);
            owned.set(st.serial, null);
            return true;
        }

        /** {@code t} (with every view of its storage) survives this step; returns t. */
        public Tensor keep(Tensor t) {
            Storage st = t.storage();
            if (st.owner == this) {
                owned.set(st.serial, null);
                st.owner = null;
            }
            return t;
        }

        private void release(Storage st) {
            float[] a = st.release();
            if (a != null) pool.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
        }

        /** Keeps the gradients still attached to parameters, releases everything else this step allocated. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (CURRENT.get() == this) CURRENT.remove();
            for (Tensor leaf : leavesWithGrads) if (leaf.grad() != null) keep(leaf.grad());
            for (Storage st : owned) {
                if (st != null && st.owner == this && !st.isReleased()) release(st);
            }
            owned.clear();
            leavesWithGrads.clear();
        }
    }
}
