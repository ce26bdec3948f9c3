package dev.orcaj.cli;

import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.orcaj.cli.CliErrorsTest.fails;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 11 items 4 and 8: --data specs and data files that are malformed, too large or misleadingly reported. Each
 * must fail in the loader (before a body is loaded) with one line naming the spec, file or field.
 */
class BadDataTest {
    @TempDir
    static Path dir;

    static Cli.Result run(String data, String... extra) {
        String[] args = {"run", "--data", data, "--methods", "finetune", "--epochs", "1", "--threads", "1", "--out", dir.resolve("out").toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return Cli.orca(all);
    }

    @Test
    void pdeSizesAreBoundedAndNamed() {
        fails(run("pde:advection:64:-5"), "pde:advection:64:-5", "N (samples) must be in 10..100000", "-5");
        fails(run("pde:advection:64:2000000000"), "N (samples) must be in 10..100000", "2000000000");
        fails(run("pde:advection:100000000:10"), "RES (grid points per side) must be in 8..16384", "100000000");
        fails(run("pde:darcy:4096:10"), "RES", "8..512");
        fails(run("pde:advection:big"), "RES (grid points per side) must be an integer", "'big'");
        fails(run("pde:advection:64:20:7"), "expected pde:NAME[:RES[:N]]");
    }

    @Test
    void ucrRootFolderSaysWhatIsExpected() {
        fails(run("ucr:/"), "ucr:/", "expected ucr:DIR/NAME");
    }

    @Test
    void hugeIntegerLabelIsRefusedNamingTheFileAndRow() throws Exception {
        int n = 40;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 2;
        y[3] = 1_000_000_000;
        Path xf = dir.resolve("x.npy"), yf = dir.resolve("ybig.npy");
        Npy.write(xf, NdArray.ofFloats(new float[n * 24], n, 24));
        Npy.write(yf, NdArray.ofInts(y, n));
        fails(run("npy:" + xf + "," + yf), yf.toString(), "label 1000000000 at row 3", "K <= 40");
    }

    @Test
    void classOnlyInTheTestFileIsNamedAsSuch() throws Exception {
        Path ucr = dir.resolve("Toy");
        Files.createDirectories(ucr);
        StringBuilder train = new StringBuilder(), test = new StringBuilder();
        for (int i = 0; i < 20; i++) train.append(i % 2 + 1).append('\t').append(i).append('\t').append(i * 0.5).append('\n');
        for (int i = 0; i < 6; i++) test.append(i % 3 + 1).append('\t').append(i).append('\t').append(i * 0.5).append('\n');
        Files.writeString(ucr.resolve("Toy_TRAIN.tsv"), train);
        Files.writeString(ucr.resolve("Toy_TEST.tsv"), test);
        fails(run("ucr:" + ucr), "class '3' (id 2) has no row in the training data (only 2 in the test data)");
    }

    @Test
    void classEmptiedByTheValidationSplitNamesTheFlag() throws Exception {
        Path ucr = dir.resolve("Few");
        Files.createDirectories(ucr);
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < 20; i++) train.append(i % 2 + 1).append('\t').append(i).append('\t').append(i * 0.5).append('\n');
        train.append("3\t1\t2\n"); // one row of class 3: with --val-fraction 0.6 the larger remainder puts it in validation
        Files.writeString(ucr.resolve("Few_TRAIN.tsv"), train);
        Files.writeString(ucr.resolve("Few_TEST.tsv"), "1\t0\t1\n2\t1\t0\n3\t1\t1\n");
        fails(run("ucr:" + ucr, "--val-fraction", "0.6"), "class '3' (id 2) has only 1 training row(s)", "validation split (--val-fraction 0.6)");
    }

    @Test
    void featuresMissingInputNamesFlagAndFile() {
        Path missing = dir.resolve("ids.npy");
        fails(Cli.orca("features", "--minilm", "--input-ids", missing.toString(), "--out", dir.resolve("f").toString()), "--input-ids: file not found: " + missing);
    }

    @Test
    void otddErrorsCarryOnePrefixAndTheFlag() {
        Cli.Result r = Cli.orca("otdd", "a.npy,b.npy", "c.npy,d.npy", "--entreg", "-1");
        fails(r, "--entreg must be > 0", "-1");
        assertFalse(r.err().contains("otdd: otdd:"), r.err());
    }

    @Test
    void emptyConllSourceSaysSo() throws Exception {
        Path empty = dir.resolve("empty.conll");
        Files.writeString(empty, "");
        Cli.Result r = Cli.orca("run", "--data", "pde:advection:16:20", "--methods", "orca", "--epochs", "1", "--align-epochs", "1", "--threads", "1",
                "--source", "conll:" + empty, "--out", dir.resolve("conll").toString());
        fails(r, "--source conll:" + empty, "holds no sentences");
        Path missing = dir.resolve("missing.conll");
        fails(Cli.orca("run", "--data", "pde:advection:16:20", "--methods", "orca", "--epochs", "1", "--align-epochs", "1", "--threads", "1",
                "--source", "conll:" + missing, "--out", dir.resolve("conll2").toString()), "file not found: " + missing);
    }

    @Test
    void aStrayWordInANumericCsvColumnIsReported() throws Exception {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 60; i++) csv.append(i * 0.5).append(',').append(i % 7).append(',').append(i % 2).append('\n');
        csv.append("abc,3,1\n");
        Path f = dir.resolve("stray.csv");
        Files.writeString(f, csv);
        // --patch 1000 stops the run after loading (the warning is what is tested, not training)
        Cli.Result r = run("csv:" + f + "#label", "--body", Cli.tinyBody(dir).toString(), "--patch", "1000");
        assertEquals(OrcaCli.ERROR, r.code(), r.all());
        String warning = r.err().lines().filter(l -> l.startsWith("orca: warning: ")).findFirst().orElse("");
        assertTrue(warning.contains(f.toString()) && warning.contains("column 'a'") && warning.contains("nominal (61 levels)")
                && warning.contains("'abc' at line 62"), r.err());
        assertFalse(r.err().contains("column 'b'"), "a column of numbers only gets no warning: " + r.err());
    }
}
