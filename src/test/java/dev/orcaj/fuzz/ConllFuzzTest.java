package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.data.text.ConllReader;

import java.util.Arrays;

/**
 * Fuzzes the CoNLL (token TAB tag) and CoNLL-U readers: the first byte picks the format, the rest is the file;
 * see {@link ParserProperty}.
 */
class ConllFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        if (data.length == 0) return;
        byte[] file = Arrays.copyOfRange(data, 1, data.length);
        if (data[0] % 2 == 0) {
            ParserProperty.assertHolds("fuzzed.conll", () -> ConllReader.readConll(ParserProperty.file("fuzzed.conll", file)));
        } else {
            ParserProperty.assertHolds("fuzzed.conllu", () -> ConllReader.readConllU(ParserProperty.file("fuzzed.conllu", file)));
        }
    }
}
