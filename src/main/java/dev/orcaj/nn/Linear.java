package dev.orcaj.nn;

import dev.orcaj.autograd.Ops;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.util.SplittableRandom;

/** y = x W^T + b with W stored [out, in] as in PyTorch / Hugging Face checkpoints. */
public final class Linear extends Module {
    public final Parameter weight;
    public final Parameter bias;
    public final int in, out;

    public Linear(int in, int out, boolean bias, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.weight = param("weight", Init.kaimingUniform(rng, in, out, in));
        this.bias = bias ? param("bias", Init.uniform(rng, 1 / Math.sqrt(in), out)) : null;
    }

    public Tensor forward(Tensor x) { return Ops.linear(x, weight.get(), bias == null ? null : bias.get()); }
}
