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

class DelimitedReaderTest {

    @Test
    void quotedFieldsMissingValuesAndTypeInference(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "a,\"b, with comma\",label\n1.5,\"x \"\"q\"\"\",yes\n?,y,no\n-2,,yes\n");
        Table t = DelimitedReader.read(f, DelimitedReader.Options.csv());
        assertEquals(List.of("a", "b, with comma", "label"), t.columnNames());
        assertEquals(Table.Kind.NUMERIC, t.column("a").kind());
        assertArrayEquals(new double[] {1.5, Double.NaN, -2}, t.column("a").values());
        assertEquals(List.of("x \"q\"", "y"), t.column(1).categories());
        assertArrayEquals(new double[] {0, 1, Double.NaN}, t.column(1).values());
        assertEquals(List.of("no", "yes"), t.column("label").categories());
    }

    @Test
    void headerlessTsvAndLabelByIndex(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.tsv");
        Files.writeString(f, "3\t0.1\t0.2\n1\t0.3\t0.4\n3\t0.5\t0.6\n");
        Table t = DelimitedReader.read(f, DelimitedReader.Options.tsv());
        ArrayDataset ds = t.toRawDataset(0);
        assertArrayEquals(new int[] {1, 2}, ds.sampleShape());
        assertArrayEquals(new int[] {1, 0, 1}, ds.labels());
        assertEquals(List.of("1", "3"), ds.classNames());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, ds.features());
    }

    @Test
    void sklearnIrisWithLabelColumnByIndex() {
        // sklearn's iris.csv: first line "150,4,setosa,versicolor,virginica", then 4 features and the class id
        Path f = SharedData.path("sklearn-toy/iris.csv");
        var lines = DelimitedReader.readLines(f, DelimitedReader.Options.csv().withHeader(false));
        Table t = DelimitedReader.toTable(f.toString(), lines, true);
        ArrayDataset ds = t.toRawDataset(4);
        assertEquals(150, ds.size());
        assertArrayEquals(new int[] {50, 50, 50}, SharedData.counts(ds.labels(), 3));
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, ds.sample(0));
    }

    @Test
    void raggedLineAndUnterminatedQuoteAreReported(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "a,b\n1,2\n3\n");
        var e = assertThrows(DataFormatException.class, () -> DelimitedReader.read(f, DelimitedReader.Options.csv()));
        assertTrue(e.getMessage().endsWith("bad.csv:3: expected 2 fields like the first line, found 1"), e.getMessage());
        Files.writeString(f, "a,b\n1,\"2\n");
        e = assertThrows(DataFormatException.class, () -> DelimitedReader.read(f, DelimitedReader.Options.csv()));
        assertTrue(e.getMessage().contains("bad.csv:2: unterminated quoted field 2"), e.getMessage());
    }
}
