package dev.orcaj.models;

import dev.orcaj.nn.Module;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Children named 0, 1, 2, ... like {@code torch.nn.ModuleList}, so state-dict names read {@code encoder.layer.3.*}. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M m) {
        items.add(child(Integer.toString(items.size()), m));
        return m;
    }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    public List<M> items() { return Collections.unmodifiableList(items); }
}
