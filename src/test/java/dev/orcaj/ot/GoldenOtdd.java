package dev.orcaj.ot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads the shared OTDD golden fixtures (../shared/golden/otdd); fails loudly when they are missing. */
final class GoldenOtdd {
    static final Path DIR = Path.of(System.getProperty("orcaj.shared", "../shared"), "golden", "otdd");

    private GoldenOtdd() {}

    static JsonNode expected() {
        try {
            return new ObjectMapper().readTree(require("expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode gmmCase(String name) { return expected().path("otdd").path("gmm").path(name); }

    /** Feature columns f0..f(d-1) then a label column, header line first. */
    static LabelledPoints dataset(String file) {
        List<String> lines = lines(file);
        int d = lines.get(0).split(",").length - 1;
        int n = lines.size() - 1;
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int k = 0; k < d; k++) x[i * d + k] = Double.parseDouble(f[k]);
            y[i] = Integer.parseInt(f[d].trim());
        }
        return LabelledPoints.of(PointCloud.of(x, n, d), y);
    }

    static double[] matrix(String file) {
        return lines(file).stream().flatMap(l -> java.util.Arrays.stream(l.split(","))).mapToDouble(Double::parseDouble).toArray();
    }

    static double[][] table(JsonNode node) {
        double[][] t = new double[node.size()][];
        for (int i = 0; i < t.length; i++) {
            t[i] = new double[node.get(i).size()];
            for (int j = 0; j < t[i].length; j++) t[i][j] = node.get(i).get(j).asDouble();
        }
        return t;
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(require(file)).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path require(String file) {
        Path p = DIR.resolve(file);
        if (!Files.isRegularFile(p)) throw new IllegalStateException("golden fixture missing: " + p.toAbsolutePath());
        return p;
    }
}
