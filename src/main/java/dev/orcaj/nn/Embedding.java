package dev.orcaj.nn;

import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** A lookup table [num, dim]; forward maps ids laid out as {@code idShape} to [idShape..., dim]. */
public final class Embedding extends Module {
    public final Parameter weight;

    public Embedding(int num, int dim, SplittableRandom rng) {
        this.weight = param("weight", Init.normal(rng, 0.02, num, dim));
    }

    public Tensor forward(int[] ids, int... idShape) { return Functional.embedding(weight.get(), ids, idShape); }
}
