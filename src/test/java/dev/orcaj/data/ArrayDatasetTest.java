package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayDatasetTest {

    @Test
    void subsetGathersFeaturesAndEveryTargetKind() {
        float[] x = {0, 1, 2, 3, /**/ 10, 11, 12, 13, /**/ 20, 21, 22, 23}; // 3 samples of {2, 2}
        var labels = new ArrayDataset(x, new int[] {2, 2}, new Targets.ClassLabels(new int[] {0, 2, 1}, 3), List.of("a", "b", "c"));
        ArrayDataset sub = labels.subset(new int[] {2, 0, 2});
        assertArrayEquals(new float[] {20, 21, 22, 23, 0, 1, 2, 3, 20, 21, 22, 23}, sub.features());
        assertArrayEquals(new int[] {1, 0, 1}, sub.labels());
        assertEquals(List.of("a", "b", "c"), sub.classNames());

        var multi = new ArrayDataset(x, new int[] {4}, new Targets.VectorTargets(new float[] {1, 0, 0, 1, 1, 1}, 2));
        assertArrayEquals(new float[] {1, 1, 0, 1}, ((Targets.VectorTargets) multi.subset(new int[] {2, 1}).targets()).values());

        var dense = new ArrayDataset(x, new int[] {1, 4}, new Targets.DenseTargets(x.clone(), new int[] {1, 2, 2}));
        var d = (Targets.DenseTargets) dense.subset(new int[] {1}).targets();
        assertArrayEquals(new float[] {10, 11, 12, 13}, d.values());
        assertArrayEquals(new int[] {1, 2, 2}, d.sampleShape());
        assertArrayEquals(new int[] {4, 1}, dense.reshape(4, 1).sampleShape());
    }

    @Test
    void inconsistentShapesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[6], new int[] {4}, new Targets.ClassLabels(new int[] {0}, 1)));
        assertTrue(e.getMessage().contains("not a multiple of sample shape [4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[8], new int[] {4}, new Targets.ClassLabels(new int[] {0}, 1)));
        assertTrue(e.getMessage().contains("2 samples but 1 target rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Targets.ClassLabels(new int[] {0, 3}, 3));
        assertTrue(e.getMessage().contains("label[1] = 3 outside [0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ArrayDataset(new float[4], new int[] {4}, new Targets.ClassLabels(new int[] {0}, 2), List.of("only one")));
        assertThrows(IndexOutOfBoundsException.class,
                () -> new ArrayDataset(new float[4], new int[] {4}, new Targets.ClassLabels(new int[] {0}, 1)).subset(new int[] {1}));
        assertThrows(IllegalStateException.class,
                () -> new ArrayDataset(new float[4], new int[] {4}, new Targets.VectorTargets(new float[] {1}, 1)).labels());
    }

    @Test
    void labelEncoderOrdersNumbersByValueAndTextLexicographically() {
        var numeric = LabelEncoder.fit(List.of("2", "-1", "10", "2.0", "1e0"));
        assertEquals(List.of("-1", "1", "2", "10"), numeric.classNames());
        assertEquals(2, numeric.encode("2.000"));
        var text = LabelEncoder.fit(List.of("dog", "cat", "ant", "cat"));
        assertEquals(List.of("ant", "cat", "dog"), text.classNames());
        var e = assertThrows(IllegalArgumentException.class, () -> text.encode("cow"));
        assertTrue(e.getMessage().contains("unknown label 'cow', expected one of [ant, cat, dog]"), e.getMessage());
        assertEquals(1, LabelEncoder.ofNames(List.of("y", "n")).encode("n"));
    }
}
