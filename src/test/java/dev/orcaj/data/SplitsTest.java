package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SplitsTest {

    @Test
    void stratifiedSplitKeepsClassProportionsAndCoversEveryRowOnce() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) labels[i] = i < 700 ? 0 : i < 950 ? 1 : 2; // 700 / 250 / 50
        int[][] parts = Splits.stratified(labels, new double[] {0.8, 0.1, 0.1}, 42);
        // per class: 0 -> 560/70/70, 1 -> 200/25/25, 2 -> 40/5/5
        assertArrayEquals(new int[] {560, 200, 40}, SharedData.counts(pick(labels, parts[0]), 3));
        assertArrayEquals(new int[] {70, 25, 5}, SharedData.counts(pick(labels, parts[1]), 3));
        assertArrayEquals(new int[] {70, 25, 5}, SharedData.counts(pick(labels, parts[2]), 3));
        int[] all = Arrays.stream(parts).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(Splits.range(0, 1000), all);
    }

    @Test
    void roundingRemaindersGoToTheLargestFraction() {
        // 7 rows of one class by (0.5, 0.25, 0.25): exact 3.5 / 1.75 / 1.75 -> floors 3/1/1, remainders .5/.75/.75 -> 3/2/2
        int[][] parts = Splits.stratified(new int[7], new double[] {0.5, 0.25, 0.25}, 1);
        assertEquals(3, parts[0].length);
        assertEquals(2, parts[1].length);
        assertEquals(2, parts[2].length);
    }

    @Test
    void seededAndSeedSensitive() {
        int[] labels = new int[200];
        for (int i = 0; i < labels.length; i++) labels[i] = i % 4;
        assertArrayEquals(Splits.stratified(labels, new double[] {0.5, 0.5}, 7)[0], Splits.stratified(labels, new double[] {0.5, 0.5}, 7)[0]);
        assertFalse(Arrays.equals(Splits.stratified(labels, new double[] {0.5, 0.5}, 7)[0], Splits.stratified(labels, new double[] {0.5, 0.5}, 8)[0]));
    }

    @Test
    void pdeSplitHoldsOutTheLeadingTenPercent() {
        int[][] tt = Splits.leadingTest(50, 0.1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, tt[1]);
        assertEquals(45, tt[0].length);
        assertEquals(5, tt[0][0]);
    }

    @Test
    void badFractionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(new int[] {0, 1}, new double[] {0.5, 0.6}, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(new int[] {0, 1}, new double[] {1.0, 0.0}, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(new int[0], new double[] {1.0}, 1));
    }

    private static int[] pick(int[] labels, int[] rows) {
        return Arrays.stream(rows).map(r -> labels[r]).toArray();
    }
}
