package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * All parser fuzz targets behind one coverage-guided entry point, for the time-boxed fuzzing in {@code mvn verify}
 * (the surefire "fuzz" execution). Jazzer fuzzes only one test per JVM, and a JVM with the Jazzer agent takes several
 * seconds to start, so one JVM sharing the budget across all parsers finds more per CI second than one per parser.
 * The first input byte picks the parser ({@link #TARGETS} order, modulo its size), the rest is that parser's input; the
 * seeds are the per-parser seeds behind their selector byte (written by bench/fuzz-seeds.py). Long runs fuzz each
 * parser's own class instead (bench/fuzz-long.sh). Not named *Test: the plain test run covers the per-parser classes.
 */
class AllParsersFuzzer {
    /** Order matters: it is the selector byte of the seeds in AllParsersFuzzerInputs (bench/fuzz-seeds.py, TARGETS). */
    static final List<Consumer<byte[]>> TARGETS = List.of(
            NpyFuzzTest::check, NpzFuzzTest::check, SafetensorsFuzzTest::check, HfConfigFuzzTest::check, OnnxFuzzTest::check,
            TokenizerFuzzTest::check, CsvFuzzTest::check, UcrFuzzTest::check, ArffFuzzTest::check, ConllFuzzTest::check,
            ImageZipFuzzTest::check);

    @FuzzTest
    void fuzz(byte[] data) {
        if (data.length == 0) return;
        TARGETS.get(Byte.toUnsignedInt(data[0]) % TARGETS.size()).accept(Arrays.copyOfRange(data, 1, data.length));
    }
}
