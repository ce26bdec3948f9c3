package dev.orcaj.models;

import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access to the read-only reference fixtures in ../shared/data/weights (see the README there for their semantics). */
public final class Fixtures {
    private Fixtures() {}

    public static Path weights(String sub) {
        Path p = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data/weights").resolve(sub);
        assertTrue(Files.exists(p), "missing shared fixture " + p.toAbsolutePath());
        return p;
    }

    public static NdArray npy(Path file) {
        try {
            return Npy.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Tensor tensor(Path file) { return StateDicts.toTensor(npy(file)); }

    /** Max |actual - expected| after checking shapes. */
    public static double maxAbsDiff(Tensor actual, Tensor expected) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        float[] a = actual.toFloatArray(), e = expected.toFloatArray();
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - e[i]));
        return m;
    }

    public static void assertClose(Tensor actual, Tensor expected, double tol, String what) {
        double d = maxAbsDiff(actual, expected);
        System.out.printf("%s: max abs diff %.3g%n", what, d);
        assertTrue(d <= tol, what + ": max abs diff " + d + " > " + tol);
    }
}
