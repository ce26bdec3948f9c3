package dev.orcaj.io.tokenize;

import java.util.ArrayList;
import java.util.List;

/** A growable token sequence (ids with their strings), the intermediate form before post-processing. */
final class Seq {
    private int[] ids = new int[16];
    private final List<String> tokens = new ArrayList<>();

    void add(int id, String token) {
        if (tokens.size() == ids.length) ids = java.util.Arrays.copyOf(ids, ids.length * 2);
        ids[tokens.size()] = id;
        tokens.add(token);
    }

    void addAll(Seq other) {
        for (int i = 0; i < other.size(); i++) add(other.id(i), other.token(i));
    }

    int size() {
        return tokens.size();
    }

    int id(int i) {
        return ids[i];
    }

    String token(int i) {
        return tokens.get(i);
    }

    /** Keeps {@code n} tokens: the first ones ({@code fromLeft=false}, HF direction Right) or the last ones. */
    Seq truncated(int n, boolean fromLeft) {
        if (n >= size()) return this;
        Seq out = new Seq();
        int from = fromLeft ? size() - n : 0;
        for (int i = from; i < from + n; i++) out.add(ids[i], tokens.get(i));
        return out;
    }
}
