package dev.orcaj.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code orca selfcheck} compares the fast backend with the reference and reports a GEMM rate. */
class SelfCheckCommandTest {
    @Test
    void passesOnThisMachine() {
        Cli.Result r = Cli.orca("selfcheck");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("self-check passed") && r.out().contains("GFLOP/s") && r.out().contains("matmul"), r.out());
    }
}
