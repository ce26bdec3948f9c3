package dev.orcaj.models;

import dev.orcaj.nn.Module;

/** A parameter-free node of the module tree, so that names nest as in HF (e.g. {@code attention.self}, {@code intermediate.dense}). */
public final class Group extends Module {
    public <M extends Module> M add(String name, M m) { return child(name, m); }
}
