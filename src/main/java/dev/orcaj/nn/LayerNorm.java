package dev.orcaj.nn;

import dev.orcaj.tensor.Tensor;

/** LayerNorm over the last axis (weight = gamma, bias = beta, as HF names them). */
public final class LayerNorm extends Module {
    public final Parameter weight, bias;
    public final double eps;

    public LayerNorm(int dim, double eps) {
        this.eps = eps;
        this.weight = param("weight", Tensor.ones(dim));
        this.bias = param("bias", Tensor.zeros(dim));
    }

    public Tensor forward(Tensor x) { return x.layerNorm(weight.get(), bias.get(), eps); }
}
