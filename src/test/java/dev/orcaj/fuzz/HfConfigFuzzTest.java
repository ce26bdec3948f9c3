package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.io.HfConfig;

import java.nio.charset.StandardCharsets;

/** Fuzzes the Hugging Face config.json reader (BERT / RoBERTa / Swin fields); see {@link ParserProperty}. */
class HfConfigFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed-config.json", () -> HfConfig.parse(new String(data, StandardCharsets.UTF_8), "fuzzed-config.json"));
    }
}
