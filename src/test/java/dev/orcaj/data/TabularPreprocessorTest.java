package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularPreprocessorTest {

    @Test
    void creditApprovalDropsMissingColumnsStandardizesOnTrainAndOneHots() {
        Table raw = ArffReader.read(SharedData.path("openml-cc18/credit-approval.arff"));
        Table clean = TabularPreprocessor.clean(raw, "class");
        // A1, A2, A4, A5, A6, A7, A14 have '?' entries (see ArffReaderTest)
        assertEquals(List.of("A3", "A8", "A9", "A10", "A11", "A12", "A13", "A15", "class"), clean.columnNames());
        int[][] parts = Splits.stratified(clean.labels("class").ids(), new double[] {0.8, 0.1, 0.1}, 0);
        Table train = clean.selectRows(parts[0]), test = clean.selectRows(parts[2]);
        var transform = TabularPreprocessor.fit(train, "class", TabularPreprocessor.Layout.FLAT);
        ArrayDataset tr = transform.apply(train), te = transform.apply(test);
        // 4 numeric (A3, A8, A11, A15) + one-hot A9 (2) A10 (2) A12 (2) A13 (3)
        assertArrayEquals(new int[] {1, 13}, tr.sampleShape());
        assertEquals(parts[0].length, tr.size());
        assertEquals(List.of("y", "n"), tr.classNames());
        // A3 is feature 0: standardized train column has mean 0, population std 1
        double mean = 0, sq = 0;
        for (int i = 0; i < tr.size(); i++) mean += tr.features()[i * 13];
        mean /= tr.size();
        for (int i = 0; i < tr.size(); i++) sq += Math.pow(tr.features()[i * 13] - mean, 2);
        assertEquals(0, mean, 1e-6);
        assertEquals(1, Math.sqrt(sq / tr.size()), 1e-5);
        // a test row uses the training statistics of A3, recomputed here from the raw training values
        double[] a3 = train.column("A3").values();
        double m = java.util.Arrays.stream(a3).average().orElseThrow();
        double sd = Math.sqrt(java.util.Arrays.stream(a3).map(v -> (v - m) * (v - m)).sum() / a3.length);
        assertEquals((test.column("A3").values()[0] - m) / sd, te.features()[0], 1e-5);
        // A13 one-hot (last nominal block, columns 9..11 after 4 numeric interleaved in column order)
        for (int i = 0; i < te.size(); i++) {
            float s = 0;
            for (int k = 0; k < 13; k++) if (!isNumericSlot(k)) s += te.features()[i * 13 + k];
            assertEquals(4f, s, "four nominal features, one hot each");
        }
    }

    /** FLAT layout order: A3, A8, A9(2), A10(2), A11, A12(2), A13(3), A15. */
    private static boolean isNumericSlot(int k) {
        return k == 0 || k == 1 || k == 6 || k == 12;
    }

    @Test
    void orcaPaddedLayoutPutsFeaturesOnTheLastAxis(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "x,c,y\n1,b,p\n3,a,q\n5,c,p\n");
        Table t = TabularPreprocessor.clean(DelimitedReader.read(f, DelimitedReader.Options.csv()), "y");
        ArrayDataset ds = TabularPreprocessor.fit(t, "y", TabularPreprocessor.Layout.ORCA_PADDED).apply(t);
        // maxCat = 3 rows, F = 2 columns; x standardized with mean 3, std sqrt(8/3)
        assertArrayEquals(new int[] {3, 2}, ds.sampleShape());
        double z = -2 / Math.sqrt(8 / 3.0);
        assertArrayEquals(new float[] {(float) z, 0, 0, 1, 0, 0}, ds.sample(0)); // x in row 0; c = b -> row 1
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0}, ds.sample(1));          // x = mean; c = a -> row 0
        ArrayDataset flat = TabularPreprocessor.fit(t, "y", TabularPreprocessor.Layout.FLAT).apply(t);
        assertArrayEquals(new float[] {(float) -z, 0, 0, 1}, flat.sample(2));
        assertArrayEquals(new int[] {0, 1, 0}, flat.labels());
    }

    @Test
    void miceProteinDropsProteinColumnsWithGapsAndKeepsEightClasses() {
        Table raw = DelimitedReader.read(SharedData.path("openml-cc18/MiceProtein_Data_Cortex_Nuclear.csv"), DelimitedReader.Options.csv());
        assertEquals(1080, raw.rows());
        Table clean = TabularPreprocessor.clean(raw, "class");
        // 49 of the 77 protein columns have empty entries (checked with Python's csv module); Genotype, Treatment, Behavior complete
        assertEquals(81 - 49, clean.columns().size());
        var transform = TabularPreprocessor.fit(clean, "class", TabularPreprocessor.Layout.FLAT);
        ArrayDataset ds = transform.apply(clean);
        assertArrayEquals(new int[] {1, 28 + 6}, ds.sampleShape());
        assertEquals(8, ds.numClasses());
        assertEquals(List.of("c-CS-m", "c-CS-s", "c-SC-m", "c-SC-s", "t-CS-m", "t-CS-s", "t-SC-m", "t-SC-s"), ds.classNames());
        assertArrayEquals(new int[] {150, 135, 150, 135, 135, 105, 135, 135}, SharedData.counts(ds.labels(), 8));
    }

    @Test
    void rowsWithMissingLabelAreDroppedAndNumericLabelsBecomeClasses(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "x,y\n1,2\n2,\n3,0\n4,2\n");
        Table t = TabularPreprocessor.clean(DelimitedReader.read(f, DelimitedReader.Options.csv()), "y");
        assertEquals(3, t.rows());
        assertEquals(List.of("0", "2"), t.column("y").categories());
        assertArrayEquals(new int[] {1, 0, 1}, t.labels("y").ids());
    }

    @Test
    void everyFeatureMissingIsAnError() {
        Table vote = ArffReader.read(SharedData.path("weka-uci/vote.arff"));
        var e = assertThrows(IllegalArgumentException.class, () -> TabularPreprocessor.clean(vote, "Class"));
        assertTrue(e.getMessage().contains("every feature column has missing entries"), e.getMessage());
    }
}
