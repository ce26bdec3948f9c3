package dev.orcaj.nn;

import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** Seeded parameter initializers (float32). */
public final class Init {
    private Init() {}

    public static Tensor normal(SplittableRandom rng, double std, int... shape) { return Tensor.randn(DType.F32, rng, std, shape); }

    public static Tensor uniform(SplittableRandom rng, double bound, int... shape) { return Tensor.rand(DType.F32, rng, -bound, bound, shape); }

    /** PyTorch's default for Linear/Conv weights: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (kaiming_uniform with a = sqrt 5). */
    public static Tensor kaimingUniform(SplittableRandom rng, int fanIn, int... shape) { return uniform(rng, 1 / Math.sqrt(fanIn), shape); }
}
