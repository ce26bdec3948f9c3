package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npz;

/** Fuzzes the .npz reader (a zip of .npy members, stored or deflated); see {@link ParserProperty}. */
class NpzFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed.npz", () -> {
            Npz.read(ParserProperty.file("fuzzed.npz", data)).values().forEach(NdArray::toDoubles);
            return null;
        });
    }
}
