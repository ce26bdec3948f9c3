package dev.orcaj.data.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Labelled texts with their class names ({@code label} indexes {@code classNames}). Offers the two steps a source
 * proxy needs: keep the most frequent classes, and draw a seeded sample that is as class-balanced as the class
 * sizes allow.
 */
public record LabelledSet(List<LabelledText> items, List<String> classNames) {
    public LabelledSet {
        items = List.copyOf(items);
        classNames = List.copyOf(classNames);
        for (LabelledText t : items) {
            if (t.label() >= classNames.size()) {
                throw new IllegalArgumentException("LabelledSet: label " + t.label() + " but only " + classNames.size() + " classes");
            }
        }
    }

    public int size() {
        return items.size();
    }

    public int numClasses() {
        return classNames.size();
    }

    public List<String> texts() {
        return items.stream().map(LabelledText::text).toList();
    }

    public int[] labels() {
        return items.stream().mapToInt(LabelledText::label).toArray();
    }

    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (LabelledText t : items) counts[t.label()]++;
        return counts;
    }

    /**
     * Keeps the items of the {@code k} most frequent classes (ties: lower class index first) and relabels them
     * 0..k-1 in that order, so label 0 is the most frequent class.
     */
    public LabelledSet topClasses(int k) {
        if (k < 1 || k > classNames.size()) {
            throw new IllegalArgumentException("topClasses: k = " + k + ", expected 1.." + classNames.size());
        }
        int[] counts = classCounts();
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) order.add(c);
        order.sort(Comparator.<Integer>comparingInt(c -> -counts[c]).thenComparingInt(c -> c));
        int[] newLabel = new int[counts.length];
        java.util.Arrays.fill(newLabel, -1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            newLabel[order.get(i)] = i;
            names.add(classNames.get(order.get(i)));
        }
        List<LabelledText> kept = new ArrayList<>();
        for (LabelledText t : items) {
            if (newLabel[t.label()] >= 0) kept.add(new LabelledText(t.text(), newLabel[t.label()]));
        }
        return new LabelledSet(kept, names);
    }

    /**
     * A seeded sample of at most {@code maxSamples} items, class-balanced as far as possible: every class gets
     * an equal share, a class smaller than its share gives all its items and the rest is shared among the others
     * (water filling); the leftover of the integer division goes one item each to classes with spare items, in
     * class order. Items are drawn by a seeded shuffle within each class; the result is shuffled with the same seed.
     */
    public LabelledSet balancedSample(int maxSamples, long seed) {
        if (maxSamples < 0) throw new IllegalArgumentException("balancedSample: maxSamples " + maxSamples + " < 0");
        int[] quota = balancedQuota(classCounts(), maxSamples);
        List<List<LabelledText>> byClass = new ArrayList<>();
        for (int c = 0; c < classNames.size(); c++) byClass.add(new ArrayList<>());
        for (LabelledText t : items) byClass.get(t.label()).add(t);
        Random rng = new Random(seed);
        List<LabelledText> out = new ArrayList<>();
        for (int c = 0; c < byClass.size(); c++) {
            List<LabelledText> members = byClass.get(c);
            Collections.shuffle(members, rng);
            out.addAll(members.subList(0, quota[c]));
        }
        Collections.shuffle(out, rng);
        return new LabelledSet(out, classNames);
    }

    /** Per-class sample sizes of {@link #balancedSample}: sum = min(budget, total), each at most its count. */
    static int[] balancedQuota(int[] counts, int budget) {
        int k = counts.length;
        int[] quota = new int[k];
        Integer[] bySize = new Integer[k];
        for (int c = 0; c < k; c++) bySize[c] = c;
        java.util.Arrays.sort(bySize, Comparator.comparingInt(c -> counts[c]));
        int left = budget;
        for (int i = 0; i < k; i++) {
            int c = bySize[i];
            quota[c] = Math.min(counts[c], left / (k - i));
            left -= quota[c];
        }
        for (int c = 0; c < k && left > 0; c++) {
            if (quota[c] < counts[c]) {
                quota[c]++;
                left--;
            }
        }
        return quota;
    }
}
