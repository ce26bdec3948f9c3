package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.data.DelimitedReader;

/** Fuzzes the CSV reader (header, quoting, missing-value markers, ragged rows); see {@link ParserProperty}. */
class CsvFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed.csv", () -> DelimitedReader.read(ParserProperty.file("fuzzed.csv", data), DelimitedReader.Options.csv()));
    }
}
