package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UcrReaderTest {

    @Test
    void ecg200MapsMinusOneAndOneToZeroAndOne() {
        var s = UcrReader.load(SharedData.path("ucr-archive-2018/ECG200"), "ECG200");
        assertEquals(List.of("-1", "1"), s.labels().classNames());
        assertArrayEquals(new int[] {1, 96}, s.train().sampleShape());
        assertEquals(100, s.train().size());
        assertEquals(100, s.test().orElseThrow().size());
        // README: train -1:31, 1:69; test -1:36, 1:64
        assertArrayEquals(new int[] {31, 69}, SharedData.counts(s.train().labels(), 2));
        assertArrayEquals(new int[] {36, 64}, SharedData.counts(s.test().orElseThrow().labels(), 2));
        // first line of ECG200_TRAIN.tsv: "-1	0.50205548	0.54216265	0.72238348 ..."
        assertEquals(0, s.train().labels()[0]);
        assertArrayEquals(new float[] {0.50205548f, 0.54216265f, 0.72238348f}, java.util.Arrays.copyOf(s.train().features(), 3));
    }

    @Test
    void ecg5000HasNoTestFileAndLabelsOneToFive() {
        var s = UcrReader.load(SharedData.path("ucr-archive-2018/ECG5000"), "ECG5000");
        assertTrue(s.test().isEmpty());
        assertEquals(List.of("1", "2", "3", "4", "5"), s.labels().classNames());
        assertArrayEquals(new int[] {292, 177, 10, 19, 2}, SharedData.counts(s.train().labels(), 5));
        assertArrayEquals(new int[] {1, 140}, s.train().sampleShape());
    }

    @Test
    void missingTestFileFallsBackToASeededStratifiedSplit() {
        var s = UcrReader.load(SharedData.path("ucr-archive-2018/ECG5000"), "ECG5000");
        TrainTest tt = UcrReader.officialOrStratified(s, 0.2, 0);
        assertFalse(tt.official());
        // per class 292/177/10/19/2 -> test round(0.2 * count) by largest remainder: 58.4/35.4/2/3.8/0.4 -> 58/35/2/4/0
        assertArrayEquals(new int[] {58, 35, 2, 4, 0}, SharedData.counts(tt.test().labels(), 5));
        assertEquals(500, tt.train().size() + tt.test().size());
        var ecg200 = UcrReader.officialOrStratified(UcrReader.load(SharedData.path("ucr-archive-2018/ECG200"), "ECG200"), 0.2, 0);
        assertTrue(ecg200.official());
        assertEquals(100, ecg200.test().size());
    }

    @Test
    void cropLabelsAreOrderedNumericallyNotAsText() {
        var s = UcrReader.load(SharedData.path("ucr-archive-2018/Crop"), "Crop");
        assertEquals(24, s.labels().numClasses());
        assertEquals("10", s.labels().classNames().get(9));
        assertEquals(9, s.labels().encode("10"));
        assertEquals(9, s.labels().encode("1.0000000e+01"));
        int[] counts = SharedData.counts(s.train().labels(), 24);
        for (int c : counts) assertEquals(300, c);
    }

    @Test
    void badValueNamesFileLineAndColumn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("X_TRAIN.tsv"), "1\t0.5\t0.25\n\n2\t0.1\tabc\n");
        var e = assertThrows(DataFormatException.class, () -> UcrReader.load(dir, "X"));
        assertTrue(e.getMessage().contains("X_TRAIN.tsv:3: column 2: expected a number, found 'abc'"), e.getMessage());
        Files.writeString(dir.resolve("X_TRAIN.tsv"), "1\t0.5\t0.25\n2\t0.1\n");
        e = assertThrows(DataFormatException.class, () -> UcrReader.load(dir, "X"));
        assertTrue(e.getMessage().contains("X_TRAIN.tsv:2: expected 3 fields"), e.getMessage());
        Files.writeString(dir.resolve("X_TRAIN.tsv"), "1\t0.5\n");
        Files.writeString(dir.resolve("X_TEST.tsv"), "1\t0.5\t0.7\n");
        e = assertThrows(DataFormatException.class, () -> UcrReader.load(dir, "X"));
        assertTrue(e.getMessage().contains("X_TEST.tsv: series length 2 differs from the TRAIN length 1"), e.getMessage());
    }
}
