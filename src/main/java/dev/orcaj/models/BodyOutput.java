package dev.orcaj.models;

import dev.orcaj.tensor.Tensor;

/** Hugging Face's two outputs of a body: {@code last_hidden_state} [B, S, D] and {@code pooler_output} [B, D] (null without a pooler). */
public record BodyOutput(Tensor lastHiddenState, Tensor poolerOutput) {}
