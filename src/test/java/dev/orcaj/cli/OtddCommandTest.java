package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OtddCommandTest {
    private static final Path GOLDEN = Path.of(System.getProperty("orcaj.shared", "../shared"), "golden", "otdd");
    private static final String SRC = GOLDEN.resolve("gmm_src.csv").toString(), TGT = GOLDEN.resolve("gmm_tgt.csv").toString();

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    /** Through OrcaCli.run, so errors take the same path (one "orca: ..." line, exit 2) as on the command line. */
    static Run run(String... args) {
        Cli.Result r = Cli.orca(args);
        return new Run(r.code(), r.out(), r.err());
    }

    private JsonNode expected() throws IOException { return new ObjectMapper().readTree(GOLDEN.resolve("expected.json").toFile()); }

    @Test
    void printsTheGoldenDistance() throws IOException {
        Run r = run("otdd", SRC, TGT, "--precision", "float64");
        assertEquals(0, r.code(), r.err());
        double expected = expected().at("/otdd/gmm/orca_exact/value_double").asDouble();
        assertEquals(expected, Double.parseDouble(r.out().trim()), 1e-6 * expected);
        Run g = run("otdd", SRC, TGT, "--inner", "gaussian", "--precision", "float32");
        double eg = expected().at("/otdd/gmm/gaussian_approx/value_single").asDouble();
        assertEquals(eg, Double.parseDouble(g.out().trim()), 1e-4 * eg);
        Run f = run("otdd", SRC, TGT, "--lambda-y", "0", "--precision", "float64");
        double ef = expected().at("/otdd/gmm/features_only_lambda_y_0/value_double").asDouble();
        assertEquals(ef, Double.parseDouble(f.out().trim()), 1e-6 * ef);
    }

    /** The golden GMM sets written as FEATURES.npy,LABELS.npy pairs give the golden value too. */
    @Test
    void npyPairsAreReadLikeCsv() throws IOException {
        String src = toNpyPair(Path.of(SRC), "src"), tgt = toNpyPair(Path.of(TGT), "tgt");
        Run r = run("otdd", src, tgt, "--precision", "float64");
        assertEquals(0, r.code(), r.err());
        double expected = expected().at("/otdd/gmm/orca_exact/value_double").asDouble();
        assertEquals(expected, Double.parseDouble(r.out().trim()), 1e-6 * expected);
        Run bad = run("otdd", tmp.resolve("src_x.npy").toString(), tgt);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("FEATURES.npy,LABELS.npy"), bad.err());
    }

    private String toNpyPair(Path csv, String name) throws IOException {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(csv);
        int n = lines.size() - 1, d = lines.getFirst().split(",").length - 1;
        double[] x = new double[n * d];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int k = 0; k < d; k++) x[i * d + k] = Double.parseDouble(f[k]);
            y[i] = Long.parseLong(f[d].trim());
        }
        Path xf = tmp.resolve(name + "_x.npy"), yf = tmp.resolve(name + "_y.npy");
        dev.orcaj.io.Npy.write(xf, dev.orcaj.io.NdArray.ofDoubles(x, n, d));
        dev.orcaj.io.Npy.write(yf, dev.orcaj.io.NdArray.ofLongs(y, n));
        return xf + "," + yf;
    }

    @Test
    void jsonHasValueLabelDistancesAndTimings() throws IOException {
        Run r = run("otdd", SRC, TGT, "--json", "--precision", "float64");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode e = expected().at("/otdd/gmm/orca_exact");
        assertEquals(e.path("value_double").asDouble(), j.path("value").asDouble(), 1e-6 * 128);
        assertEquals(7, j.path("label_distances").size());
        assertEquals(e.at("/label_distances_double/0/3").asDouble(), j.at("/label_distances/0/3").asDouble(), 1e-6 * 300);
        assertEquals("[\"0\",\"1\",\"2\",\"3\"]", j.path("target_classes").toString());
        assertTrue(j.at("/timings/total_s").asDouble() > 0);
        assertEquals(10, j.path("epsilon_steps").asInt());
    }

    @Test
    void subsamplingIsSeeded() {
        Run a = run("otdd", SRC, TGT, "--max-samples", "40", "--seed", "3");
        Run b = run("otdd", SRC, TGT, "--max-samples", "40", "--seed", "3");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        assertFalse(a.out().equals(run("otdd", SRC, TGT).out()), "subsampling changes the value");
    }

    private Path csv(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static void assertError(Run r, String fragment) {
        assertEquals(2, r.code(), "exit code; err=" + r.err());
        assertTrue(r.err().contains(fragment), "stderr should mention '" + fragment + "': " + r.err());
        assertTrue(r.out().isEmpty(), "no result printed: " + r.out());
    }

    @Test
    void badInputGivesClearErrors() throws IOException {
        Path two = csv("two.csv", "a,b,label\n0,0,0\n1,0,0\n0,1,1\n1,1,1\n");
        Path three = csv("three.csv", "a,b,c,label\n0,0,0,0\n1,0,0,0\n");
        assertError(run("otdd", two.toString(), three.toString()), "feature dimensions differ");
        assertError(run("otdd", two.toString(), csv("empty.csv", "a,b,label\n").toString()), "no data rows");
        assertError(run("otdd", two.toString(), csv("nan.csv", "a,b,label\n0,NaN,0\n1,0,0\n").toString()), "line 2, column 'b': non-finite");
        assertError(run("otdd", two.toString(), csv("inf.csv", "a,b,label\n0,1,0\n1,Infinity,0\n").toString()), "line 3, column 'b'");
        assertError(run("otdd", two.toString(), csv("text.csv", "a,b,label\n0,x,0\n").toString()), "not a number: 'x'");
        assertError(run("otdd", two.toString(), csv("nolabel.csv", "a,b,y\n0,1,0\n").toString()), "no label column 'label'");
        assertError(run("otdd", two.toString(), tmp.resolve("missing.csv").toString()), "file not found");
        assertError(run("otdd", two.toString(), csv("single.csv", "a,b,label\n0,1,0\n1,1,1\n").toString()), "no target class has at least 2 rows");
        assertError(run("otdd", two.toString(), two.toString(), "--inner", "magic"), "expected exact or gaussian");
        assertError(run("otdd", two.toString(), two.toString(), "--entreg", "0"), "entreg must be > 0");
        assertError(run("otdd", two.toString(), two.toString(), "--debiased", "maybe"), "expected on or off");
        assertError(run("otdd", two.toString(), csv("ragged.csv", "a,b,label\n0,1\n").toString()), "line 2 has 2 fields");
    }

    @Test
    void smallClassesAreDroppedWithAWarning() throws IOException {
        Path src = csv("s.csv", "a,b,label\n0,0,0\n1,0,0\n0,1,1\n1,1,1\n");
        Path tgt = csv("t.csv", "a,b,label\n0,0.5,x\n1,0.5,x\n5,5,y\n");
        Run r = run("otdd", src.toString(), tgt.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: target: dropped classes with fewer than 2 rows"), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("[\"x\"]", j.path("target_classes").toString());
        assertTrue(Double.isFinite(j.path("value").asDouble()));
        Run same = run("otdd", src.toString(), src.toString(), "--precision", "float64");
        assertEquals(0.0, Double.parseDouble(same.out().trim()), 1e-12);
    }
}
