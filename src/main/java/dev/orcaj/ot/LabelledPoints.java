package dev.orcaj.ot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A labelled dataset for OTDD: points plus a class index per row in {@code 0..numClasses-1};
 * {@code classIds[c]} is the original label value of class {@code c} (ascending).
 */
public record LabelledPoints(PointCloud points, int[] labels, int[] classIds) {
    public LabelledPoints {
        if (labels.length != points.size()) {
            throw new IllegalArgumentException("labelled points: " + labels.length + " labels for " + points.size() + " rows");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classIds.length) {
                throw new IllegalArgumentException("labelled points: label index " + labels[i] + " at row " + i
                        + " outside 0.." + (classIds.length - 1));
            }
        }
    }

    /** Compacts arbitrary integer labels to class indices in ascending label order. */
    public static LabelledPoints of(PointCloud points, int[] rawLabels) {
        int[] ids = Arrays.stream(rawLabels).distinct().sorted().toArray();
        int[] idx = new int[rawLabels.length];
        for (int i = 0; i < idx.length; i++) idx[i] = Arrays.binarySearch(ids, rawLabels[i]);
        return new LabelledPoints(points, idx, ids);
    }

    /** All rows in one class with id 0 (ORCA's call pattern: a target class passed without labels). */
    public static LabelledPoints singleClass(PointCloud points) {
        return new LabelledPoints(points, new int[points.size()], new int[] {0});
    }

    public int numClasses() { return classIds.length; }

    public int size() { return points.size(); }

    public int[] classCounts() {
        int[] counts = new int[classIds.length];
        for (int l : labels) counts[l]++;
        return counts;
    }

    /** Row indices of class {@code c}, in row order. */
    public int[] rowsOf(int c) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
    }

    /** The data restricted to classes with at least {@code minCount} rows, plus the original ids of those dropped. */
    public Filtered dropSmallClasses(int minCount) {
        int[] counts = classCounts();
        List<Integer> dropped = new ArrayList<>();
        TreeMap<Integer, Integer> keep = new TreeMap<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] >= minCount) keep.put(c, keep.size());
            else dropped.add(classIds[c]);
        }
        if (dropped.isEmpty()) return new Filtered(this, identity(size()), List.of());
        int[] rows = java.util.stream.IntStream.range(0, labels.length).filter(i -> keep.containsKey(labels[i])).toArray();
        int[] newLabels = new int[rows.length];
        for (int r = 0; r < rows.length; r++) newLabels[r] = keep.get(labels[rows[r]]);
        int[] newIds = keep.keySet().stream().mapToInt(c -> classIds[c]).toArray();
        return new Filtered(new LabelledPoints(points.rows(rows), newLabels, newIds), rows, List.copyOf(dropped));
    }

    /** A uniform random subset of {@code max} rows without replacement (row order kept); this when small enough. */
    public LabelledPoints subsample(int max, long seed) {
        if (max <= 0) throw new IllegalArgumentException("subsample: max samples must be > 0, got " + max);
        if (size() <= max) return this;
        int[] perm = identity(size());
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < max; i++) {
            int j = i + rnd.nextInt(perm.length - i);
            int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        int[] rows = Arrays.copyOf(perm, max);
        Arrays.sort(rows);
        int[] newLabels = new int[max];
        for (int r = 0; r < max; r++) newLabels[r] = labels[rows[r]];
        return new LabelledPoints(points.rows(rows), newLabels, classIds).compactClasses();
    }

    private LabelledPoints compactClasses() {
        int[] raw = new int[labels.length];
        for (int i = 0; i < raw.length; i++) raw[i] = classIds[labels[i]];
        return of(points, raw);
    }

    /** Result of {@link #dropSmallClasses}: {@code rows[r]} is the original row of kept row r. */
    public record Filtered(LabelledPoints data, int[] rows, List<Integer> droppedClassIds) {}

    static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }
}
