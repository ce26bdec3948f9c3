package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MnistReaderTest {

    @Test
    void testSetHasTheKnownLabelCountsAndFirstDigits() {
        ArrayDataset test = MnistReader.read(SharedData.path("mnist/t10k-images-idx3-ubyte.gz"), SharedData.path("mnist/t10k-labels-idx1-ubyte.gz"), -1);
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, test.sampleShape());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, SharedData.counts(test.labels(), 10));
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, Arrays.copyOf(test.labels(), 5));
        float max = 0, min = 1;
        for (float v : test.features()) { max = Math.max(max, v); min = Math.min(min, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertEquals(0f, test.features()[0]); // the corner pixel is background
    }

    @Test
    void trainPrefix() {
        ArrayDataset train = MnistReader.read(SharedData.path("mnist/train-images-idx3-ubyte.gz"), SharedData.path("mnist/train-labels-idx1-ubyte.gz"), 10);
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, train.labels());
    }

    @Test
    void swappedFilesAreRejectedByMagic() {
        var e = assertThrows(DataFormatException.class, () -> MnistReader.read(SharedData.path("mnist/t10k-labels-idx1-ubyte.gz"),
                SharedData.path("mnist/t10k-images-idx3-ubyte.gz"), 1));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz: IDX magic 2049, expected 2051 (images)"), e.getMessage());
    }
}
