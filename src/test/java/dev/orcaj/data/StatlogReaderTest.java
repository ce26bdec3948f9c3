package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatlogReaderTest {

    @Test
    void satelliteBandsBecomeChannelsOverTheNinePixels() {
        ArrayDataset all = StatlogReader.satellite(SharedData.path("mlbench-statlog/satellite.csv"));
        assertEquals(6435, all.size());
        assertArrayEquals(new int[] {4, 9}, all.sampleShape());
        // README counts; classes sorted by name
        assertEquals(List.of("cotton_crop", "damp_grey_soil", "grey_soil", "red_soil", "vegetation_stubble", "very_damp_grey_soil"), all.classNames());
        assertArrayEquals(new int[] {703, 626, 1358, 1533, 707, 1508}, SharedData.counts(all.labels(), 6));
        // first row: x.1..x.4 = 92,115,120,94 (pixel 1, bands 1-4); x.17..x.20 = 92,112,118,85 (centre pixel 5)
        float[] s = all.sample(0);
        assertArrayEquals(new float[] {92, 115, 120, 94}, new float[] {s[0], s[9], s[18], s[27]});
        assertArrayEquals(new float[] {92, 112, 118, 85}, new float[] {s[4], s[13], s[22], s[31]});
        var split = StatlogReader.officialSplit(all, StatlogReader.SATELLITE_TRAIN_ROWS);
        assertEquals(4435, split.train().size());
        assertEquals(2000, split.test().size());
    }

    @Test
    void dnaOneHotAgreesWithTheBinaryIndicatorFile() {
        ArrayDataset dna = StatlogReader.dnaSequence(SharedData.path("mlbench-statlog/dna_sequence.csv"));
        assertEquals(3186, dna.size());
        assertArrayEquals(new int[] {4, 60}, dna.sampleShape());
        assertEquals(List.of("ei", "ie", "n"), dna.classNames());
        assertArrayEquals(new int[] {767, 765, 1654}, SharedData.counts(dna.labels(), 3));
        // dna_binary.csv codes each position with 3 indicators: A=100, C=010, G=001, T=000
        var binary = DelimitedReader.readLines(SharedData.path("mlbench-statlog/dna_binary.csv"), DelimitedReader.Options.csv());
        assertEquals(3187, binary.size());
        for (int i = 0; i < dna.size(); i++) {
            String[] row = binary.get(i + 1).fields();
            for (int p = 0; p < 60; p++) {
                for (int b = 0; b < 3; b++)
                    assertEquals(Float.parseFloat(row[3 * p + b]), dna.features()[i * 240 + b * 60 + p], "row " + i + " position " + p);
                float t = dna.features()[i * 240 + 3 * 60 + p];
                boolean allZero = row[3 * p].equals("0") && row[3 * p + 1].equals("0") && row[3 * p + 2].equals("0");
                assertEquals(allZero ? 1f : 0f, t, "T channel, row " + i + " position " + p);
            }
            assertEquals(dna.classNames().get(dna.labels()[i]), row[180]);
        }
    }
}
