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

class ArffReaderTest {

    @Test
    void creditApprovalMissingValuesMatchAPlainSplitOfTheFile() throws Exception {
        Path f = SharedData.path("openml-cc18/credit-approval.arff");
        Table t = ArffReader.read(f);
        assertEquals(690, t.rows());
        assertEquals(16, t.columns().size());
        // independent count: the data lines have no quotes, so split on ',' and count '?'
        List<String> lines = Files.readAllLines(f);
        int dataStart = 0;
        while (!lines.get(dataStart).strip().equalsIgnoreCase("@data")) dataStart++;
        int[] missing = new int[16], positives = new int[1];
        int rows = 0;
        for (String line : lines.subList(dataStart + 1, lines.size())) {
            if (line.isBlank() || line.startsWith("%")) continue;
            String[] v = line.split(",");
            for (int j = 0; j < 16; j++) if (v[j].strip().equals("?")) missing[j]++;
            if (v[15].strip().equals("y")) positives[0]++;
            rows++;
        }
        assertEquals(rows, t.rows());
        for (int j = 0; j < 16; j++) {
            int nan = 0;
            for (double v : t.column(j).values()) if (Double.isNaN(v)) nan++;
            assertEquals(missing[j], nan, "column " + t.column(j).name());
        }
        assertEquals(Table.Kind.NOMINAL, t.column("A4").kind());
        assertEquals(List.of("u", "y", "l", "t"), t.column("A4").categories());
        assertEquals(Table.Kind.NUMERIC, t.column("A2").kind());
        assertEquals(30.83, t.column("A2").values()[0], 1e-12);
        Table.LabelColumn y = t.labels("class");
        assertEquals(List.of("y", "n"), y.encoder().classNames());
        assertEquals(positives[0], SharedData.counts(y.ids(), 2)[0]);
    }

    @Test
    void weKaVoteQuotedNominalValues() {
        Table t = ArffReader.read(SharedData.path("weka-uci/vote.arff"));
        assertEquals(435, t.rows());
        assertEquals(List.of("n", "y"), t.column("handicapped-infants").categories());
        assertArrayEquals(new int[] {267, 168}, SharedData.counts(t.labels("Class").ids(), 2));
    }

    @Test
    void everyCc18ArffParses() throws Exception {
        try (var files = Files.list(SharedData.path("openml-cc18"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".arff")).toList()) {
                Table t = ArffReader.read(f);
                assertTrue(t.rows() > 100 && t.columns().size() > 4, f + ": " + t);
            }
        }
    }

    @Test
    void quotingEscapesSparseRowsAndComments(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("q.arff");
        Files.writeString(f, """
                % comment
                @RELATION test
                @ATTRIBUTE 'first value' NUMERIC
                @attribute colour { red, 'light blue', "it's", '?' }
                @attribute n integer
                @attribute s string
                @data
                1.5, 'light blue', 3, 'hello, world'
                ?, "it's", -1, 'o\\'clock'
                {1 red, 2 7}
                { }
                3, '?', ?, ?
                """);
        Table t = ArffReader.read(f);
        assertEquals(List.of("first value", "colour", "n", "s"), t.columnNames());
        assertEquals(List.of("red", "light blue", "it's", "?"), t.column("colour").categories());
        assertArrayEquals(new double[] {1.5, Double.NaN, 0, 0, 3}, t.column(0).values());
        assertArrayEquals(new double[] {1, 2, 0, 0, 3}, t.column(1).values()); // quoted '?' is a value, not missing
        assertArrayEquals(new double[] {3, -1, 7, 0, Double.NaN}, t.column(2).values());
        assertEquals(List.of("hello, world", "o'clock"), t.column("s").categories().subList(0, 2));
    }

    @Test
    void errorsNameFileLineAndAttribute(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.arff");
        Files.writeString(f, "@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,x\n2,z\n");
        var e = assertThrows(DataFormatException.class, () -> ArffReader.read(f));
        assertTrue(e.getMessage().endsWith("bad.arff:6: attribute 'c': value 'z' not in [x, y]"), e.getMessage());
        Files.writeString(f, "@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n1,x,3\n");
        e = assertThrows(DataFormatException.class, () -> ArffReader.read(f));
        assertTrue(e.getMessage().endsWith("bad.arff:5: expected 2 values, found 3"), e.getMessage());
        Files.writeString(f, "@relation r\n@attribute a numeric\n@data\nabc\n");
        e = assertThrows(DataFormatException.class, () -> ArffReader.read(f));
        assertTrue(e.getMessage().endsWith("bad.arff:4: attribute 'a': expected a number, found 'abc'"), e.getMessage());
        Files.writeString(f, "@relation r\n@attribute d date 'yyyy'\n@data\n");
        e = assertThrows(DataFormatException.class, () -> ArffReader.read(f));
        assertTrue(e.getMessage().contains("bad.arff:2: attribute 'd': unsupported type"), e.getMessage());
        Files.writeString(f, "@relation r\n@attribute a numeric\n@data\n{3 1}\n");
        e = assertThrows(DataFormatException.class, () -> ArffReader.read(f));
        assertTrue(e.getMessage().endsWith("bad.arff:4: sparse index 3 outside [0, 1)"), e.getMessage());
    }
}
