package dev.orcaj.tensor;

import java.lang.ref.SoftReference;
import java.lang.ref.WeakReference;
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
 * (zero-filled, as a fresh Java array is, so results are bitwise the same). The backward pass gives each forward
 * result and each intermediate gradient back the moment it has consumed it ({@link Step#releaseNow}, PyTorch frees
 * saved tensors at the same point), and the step gives back what it can still reach when it closes; it holds its
 * storages weakly, so whatever becomes unreachable earlier is simply collected: a step needs no more memory than the
 * same step without the pool: the arrays waiting for reuse are held softly, the collector takes them back when the
 * heap runs short.
 *
 * <p>What survives a step: a parameter's gradient still attached to it when the step closes (gradient accumulation
 * over several steps), tensors passed to {@link Step#keep}, and anything allocated outside a step or by
 * {@link #unpooled} (optimizer moments). Everything else the step allocated is released at the latest when it closes
 * (forward results already when backward has consumed them; the loss stays readable until the close): its storage
 * then throws {@link IllegalStateException} on any access ("misuse fails loudly") instead of reading an array that
 * another step already reuses. The pool is confined to one thread; other threads allocate as usual.
 */
public final class BufferPool {
    /** Smaller storages are left to the collector: their bytes are negligible and the bookkeeping is not. */
    public static final int MIN_LENGTH = 256;

    private static final ThreadLocal<Step> CURRENT = new ThreadLocal<>();
    private static final java.util.concurrent.atomic.AtomicLong REUSED_ANYWHERE = new java.util.concurrent.atomic.AtomicLong();

    // soft: the collector may take arrays waiting here whenever the heap runs short (always before an
    // OutOfMemoryError), so the pool never needs more heap than the same loop without it; e.g. the first step's
    // optimizer moments are allocated while the whole step's arrays wait here
    private final Map<Integer, ArrayDeque<SoftReference<float[]>>> free = new HashMap<>();
    private long taken, reused, releasedAtClose;

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
        for (var e : free.entrySet()) for (var ref : e.getValue()) if (ref.get() != null) n += e.getKey();
        return n;
    }

    /** Storages drawn from the pool so far, and how many of them reused an array. */
    public long taken() { return taken; }

    public long reused() { return reused; }

    /** Floats given back only when a step closed (results no backward consumed: forward scratch, the loss, dropped gradients). */
    public long releasedAtClose() { return releasedAtClose; }

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
        // weak: a storage nobody references is left to the collector (array included) rather than kept alive here
        // until the step closes; the step can only release what it can still reach
        private final List<WeakReference<Storage>> owned = new ArrayList<>();
        final List<Tensor> leavesWithGrads = new ArrayList<>();
        private boolean closed;

        private Step(BufferPool pool) { this.pool = pool; }

        private Storage allocate(int n) {
            ArrayDeque<SoftReference<float[]>> q = pool.free.get(n);
            float[] a = null;
            while (a == null && q != null && !q.isEmpty()) a = q.pollLast().get(); // skips arrays the collector took
            pool.taken++;
            if (a == null) {
                a = new float[n];
            } else {
                pool.reused++;
                REUSED_ANYWHERE.incrementAndGet();
                java.util.Arrays.fill(a, 0f); // as a fresh array: kernels and Tensor.zeros rely on zeros
            }
            Storage st = Storage.pooled(a, this);
            owned.add(new WeakReference<>(st));
            return st;
        }

        /** Whether {@code t}'s data came from this step's pool and is still live (neither released nor kept). */
        public boolean owns(Tensor t) {
            Storage st = t.storage();
            return st.owner == this && !st.isReleased();
        }

        /**
         * Gives {@code t}'s storage back now if this step allocated it and it is not a parameter's gradient; the
         * caller guarantees that nothing will read it again (the backward pass does so for the gradients and the
         * forward results it has consumed). Every view of the storage is released with it. Returns whether it was.
         */
        public boolean releaseNow(Tensor t) {
            Storage st = t.storage();
            if (st.owner != this || st.isReleased() || isParameterGradient(st)) return false;
            release(st);
            return true;
        }

        /** How many storages this step has lent so far: a mark for {@link #releaseSince}. */
        public int lent() { return owned.size(); }

        /**
         * Gives back every storage lent since {@code mark} that {@code stillNeeded} does not claim and that is no
         * parameter's gradient. For a caller that knows nothing else can reach them: the backward pass after a
         * gradient rule, whose scratch tensors (contiguous copies, intermediate products) die when it returns.
         */
        public void releaseSince(int mark, java.util.function.Predicate<Storage> stillNeeded) {
            for (int i = mark; i < owned.size(); i++) {
                Storage st = owned.get(i).get();
                if (st == null || st.owner != this || st.isReleased() || stillNeeded.test(st) || isParameterGradient(st)) continue;
                release(st);
            }
        }

        private boolean isParameterGradient(Storage st) {
            for (Tensor leaf : leavesWithGrads) if (leaf.grad() != null && leaf.grad().storage() == st) return true;
            return false;
        }

        /** {@code t} (with every view of its storage) survives this step; returns t. */
        public Tensor keep(Tensor t) {
            Storage st = t.storage();
            if (st.owner == this) st.owner = null;
            return t;
        }

        private void release(Storage st) {
            float[] a = st.release();
            if (a != null) pool.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(new SoftReference<>(a));
        }

        /** Keeps the gradients still attached to parameters, releases everything else this step allocated. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (CURRENT.get() == this) CURRENT.remove();
            for (Tensor leaf : leavesWithGrads) if (leaf.grad() != null) keep(leaf.grad());
            for (WeakReference<Storage> ref : owned) {
                Storage st = ref.get();
                if (st != null && st.owner == this && !st.isReleased()) {
                    pool.releasedAtClose += st.length();
                    release(st);
                }
            }
            owned.clear();
            leavesWithGrads.clear();
        }
    }
}
