package dev.orcaj.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates fixtures under ../shared/data (system property orcaj.shared); a missing fixture fails the test loudly. */
final class SharedData {

    private SharedData() {}

    static Path path(String relative) {
        Path p = Path.of(System.getProperty("orcaj.shared", "../shared"), "data").resolve(relative);
        assertTrue(Files.exists(p), "missing shared fixture " + p.toAbsolutePath() + " (see ../shared/data/README.md)");
        return p;
    }

    static int[] counts(int[] labels, int k) {
        int[] c = new int[k];
        for (int y : labels) c[y]++;
        return c;
    }
}
