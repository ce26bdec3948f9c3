package dev.orcaj.nn;

import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/** Seeded parameter initializers (float32). */
public final class Init {
    private Init() {}

    /** Set inside {@link #valuesReplaced}: initializers return zeros and only advance their generator. */
    private static final ScopedValue<Boolean> VALUES_REPLACED = ScopedValue.newInstance();

    public static Tensor normal(SplittableRandom rng, double std, int... shape) {
        if (VALUES_REPLACED.isBound()) return skipped(rng, 2 * ((numel(shape) + 1) / 2), shape); // Box-Muller: 2 draws per pair
        return Tensor.randn(DType.F32, rng, std, shape);
    }

    public static Tensor uniform(SplittableRandom rng, double bound, int... shape) {
        if (VALUES_REPLACED.isBound()) return skipped(rng, numel(shape), shape); // one draw per entry
        return Tensor.rand(DType.F32, rng, -bound, bound, shape);
    }

    /** PyTorch's default for Linear/Conv weights: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (kaiming_uniform with a = sqrt 5). */
    public static Tensor kaimingUniform(SplittableRandom rng, int fanIn, int... shape) { return uniform(rng, 1 / Math.sqrt(fanIn), shape); }

    /**
     * Builds modules whose every parameter is replaced right after (a pretrained state dict is loaded into them): inside
     * {@code build} the initializers above skip computing random values (zeros instead) but advance their generator by
     * exactly the draws {@link Tensor#randn}/{@link Tensor#rand} would take, so whatever the module draws afterwards from
     * the same generator (e.g. dropout seeds) is unchanged. Saves the Box-Muller transform of a BERT word-embedding
     * table (11.7 M entries for MiniLM) on every pretrained body built.
     */
    public static <T> T valuesReplaced(Supplier<T> build) {
        return ScopedValue.where(VALUES_REPLACED, Boolean.TRUE).call(build::get);
    }

    private static Tensor skipped(SplittableRandom rng, long draws, int... shape) {
        for (long i = 0; i < draws; i++) rng.nextLong(); // nextDouble() is one nextLong() step of SplittableRandom
        return Tensor.zeros(shape);
    }

    private static long numel(int... shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
