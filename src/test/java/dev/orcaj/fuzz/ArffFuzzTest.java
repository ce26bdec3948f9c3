package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.data.ArffReader;

/** Fuzzes the ARFF reader (attributes: numeric, nominal, string, date; dense and sparse data); see {@link ParserProperty}. */
class ArffFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed.arff", () -> ArffReader.read(ParserProperty.file("fuzzed.arff", data)));
    }
}
