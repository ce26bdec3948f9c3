package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Safetensors;

/** Fuzzes the safetensors reader (header length, JSON header, dtypes, offsets); see {@link ParserProperty}. */
class SafetensorsFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed.safetensors", () -> {
            Safetensors.read(ParserProperty.file("fuzzed.safetensors", data)).tensors().values().forEach(NdArray::toDoubles);
            return null;
        });
    }
}
