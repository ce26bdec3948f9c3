package dev.orcaj.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Row-index splits. Each returned array holds row indices in ascending order. */
public final class Splits {

    private Splits() {}

    /**
     * Seeded stratified split into {@code fracs.length} parts (e.g. {0.8, 0.1, 0.1} for train/val/test). Within each
     * class the rows are shuffled with {@code new Random(seed)} and cut so each part gets round(frac * classCount)
     * rows, the rounding remainder going by largest remainder (ties to the earlier part) so every row lands in exactly
     * one part. Fractions must be positive and sum to 1 (within 1e-9).
     */
    public static int[][] stratified(int[] labels, double[] fracs, long seed) {
        if (labels.length == 0) throw new IllegalArgumentException("Splits.stratified: no labels");
        if (fracs.length == 0) throw new IllegalArgumentException("Splits.stratified: no fractions");
        double sum = 0;
        for (double f : fracs) {
            if (!(f > 0)) throw new IllegalArgumentException("Splits.stratified: fractions must be > 0, got " + Arrays.toString(fracs));
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("Splits.stratified: fractions sum to " + sum + ", expected 1");
        int numClasses = 0;
        for (int y : labels) {
            if (y < 0) throw new IllegalArgumentException("Splits.stratified: negative label " + y);
            numClasses = Math.max(numClasses, y + 1);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < labels.length; i++) byClass.get(labels[i]).add(i);
        Random rng = new Random(seed);
        List<List<Integer>> parts = new ArrayList<>();
        for (int p = 0; p < fracs.length; p++) parts.add(new ArrayList<>());
        for (List<Integer> rows : byClass) {
            java.util.Collections.shuffle(rows, rng);
            int[] counts = apportion(rows.size(), fracs);
            int start = 0;
            for (int p = 0; p < fracs.length; p++) {
                parts.get(p).addAll(rows.subList(start, start + counts[p]));
                start += counts[p];
            }
        }
        int[][] out = new int[fracs.length][];
        for (int p = 0; p < fracs.length; p++) out[p] = parts.get(p).stream().mapToInt(Integer::intValue).sorted().toArray();
        return out;
    }

    /** Largest-remainder apportionment of n items by fractions (sum of result = n). */
    static int[] apportion(int n, double[] fracs) {
        int[] counts = new int[fracs.length];
        double[] rem = new double[fracs.length];
        int given = 0;
        for (int p = 0; p < fracs.length; p++) {
            double exact = n * fracs[p];
            counts[p] = (int) Math.floor(exact + 1e-9);
            rem[p] = exact - counts[p];
            given += counts[p];
        }
        while (given < n) {
            int best = 0;
            for (int p = 1; p < fracs.length; p++) if (rem[p] > rem[best] + 1e-12) best = p;
            counts[best]++;
            rem[best] = -1;
            given++;
        }
        return counts;
    }

    /**
     * ORCA's PDE split (spec section 7): the first {@code round(fraction * n)} samples are the test set, the rest
     * the training set. Returns {train, test}.
     */
    public static int[][] leadingTest(int n, double fraction) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("Splits.leadingTest: fraction must be in (0, 1), got " + fraction);
        int test = (int) Math.round(fraction * n);
        if (test < 1 || test >= n) throw new IllegalArgumentException("Splits.leadingTest: " + test + " test rows of " + n);
        return new int[][] {range(test, n), range(0, test)};
    }

    /** Rows [from, to) — for official splits stored by position (StatLog, PDE "first 10% = test"). */
    public static int[] range(int from, int to) {
        if (from < 0 || to < from) throw new IllegalArgumentException("Splits.range: bad range [" + from + ", " + to + ")");
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }
}
