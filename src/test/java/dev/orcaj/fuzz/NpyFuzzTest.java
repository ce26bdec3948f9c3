package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;

import java.nio.ByteBuffer;

/** Fuzzes the .npy reader (header dict, versions 1-3, dtypes, Fortran order); see {@link ParserProperty}. */
class NpyFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed.npy", () -> Npy.parse(ByteBuffer.wrap(data), "fuzzed.npy").toDoubles());
    }
}
