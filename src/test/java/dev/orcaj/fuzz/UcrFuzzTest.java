package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.data.UcrReader;

import java.nio.file.Path;

/** Fuzzes the UCR archive reader (label-first TSV, no header): the input is the _TRAIN.tsv file; see {@link ParserProperty}. */
class UcrFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        Path dir = ParserProperty.folder("Fuzzed");
        ParserProperty.file("Fuzzed/Fuzzed_TRAIN.tsv", data);
        ParserProperty.assertHolds("Fuzzed_TRAIN.tsv", () -> UcrReader.load(dir, "Fuzzed"));
    }
}
