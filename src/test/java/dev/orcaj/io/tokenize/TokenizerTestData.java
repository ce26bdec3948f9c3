package dev.orcaj.io.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Shared inputs for the tokenizer tests: real sentences, tricky strings, and the DJL (HF Rust) reference. */
final class TokenizerTestData {
    private TokenizerTestData() {}

    static Path shared() {
        return Path.of(System.getProperty("orcaj.shared", "../shared"));
    }

    /** Every {@code # text = } sentence of UD English-EWT dev, in file order (2001 sentences). */
    static List<String> udSentences() throws IOException {
        Path file = shared().resolve("data/ud-english-ewt/en_ewt-ud-dev.conllu.gz");
        if (!Files.exists(file)) throw new IllegalStateException("missing fixture " + file);
        List<String> out = new ArrayList<>();
        try (var r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("# text = ")) out.add(line.substring("# text = ".length()));
            }
        }
        return out;
    }

    /** Strings that exercise the corner cases of normalizer, pre-tokenizer and models. */
    static List<String> trickyStrings() {
        return List.of(
                "", " ", "   \t\n ", "a", "Héllo wörld, naïve café façade Ærøskøbing!", "ÀÉÎÕÜ àéîõü ñ Ñ ç",
                "中文字符测试，还有日本語のテキスト。한국어 텍스트", "mixed中文and English", "emoji 😀🥰👍🏽 and 🇩🇪 flags",
                "punctuation!!! ??? ... --- ((nested)) [brackets] {braces} «guillemets» „quotes“ ‘single’ — dash – en",
                "$100 + 5% = <tag> ^caret^ `tick` | pipe ~tilde @at #hash &amp; *star* _under_",
                "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
                "x".repeat(99), "y".repeat(100), "z".repeat(101), "ab".repeat(150),
                "tab\tseparated\tvalues\r\nand\u00a0no-break\u3000ideographic\u2003em space",
                "zero\u200bwidth soft\u00adhyphen ctrl\u0001char\u0000nul \ufffdreplacement",
                "ΣΑΣ σας İstanbul ß ﬁ ligature Ⅻ ①", "Ḱ̂ combining: e\u0301 a\u0308 n\u0303", "ﬀ ＡＢＣ fullwidth １２３",
                "[CLS] inside text [SEP] and [MASK] and [PAD] [UNK]", "<s> roberta </s> <mask> tokens<mask>x",
                "don't can't I'm you're we've they'll he'd it's", "   leading and trailing spaces   ",
                "numbers 3.14159 1,000,000 2024-11-29 10:30am", "http://example.com/path?q=1&x=2 user@mail.org",
                "Ünïcödé ÜNÏCÖDÉ", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea \u0939\u093f\u0928\u094d\u0926\u0940",
                "a\tb\nc\rd\u000be\u000cf", "multiple     spaces    between", "...", "'", "''", "'s 're", "#1 @2 &3",
                // HF's CJK ranges start the extension block at U+2B920 (not U+2B820 as BERT's Python does)
                "a\uD86E\uDC20b a\uD86E\uDD20b");
    }

    /** DJL's HF-tokenizers wrapper on {@code json}, offline, with the given options (e.g. maxLength, truncation). */
    static HuggingFaceTokenizer djl(Path json, Map<String, String> options) throws IOException {
        System.setProperty("ai.djl.offline", "true"); // never download; the jar bundles the linux-x86_64 library
        if (System.getProperty("DJL_CACHE_DIR") == null) System.setProperty("DJL_CACHE_DIR", "target/djl-cache");
        return HuggingFaceTokenizer.newInstance(json, options);
    }

    /** Writes a classpath resource to a temp file (DJL wants a path). */
    static Path resourceToTempFile(String resource) throws IOException {
        Path tmp = Files.createTempFile("tokenizer", ".json");
        tmp.toFile().deleteOnExit();
        try (InputStream in = TokenizerTestData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("classpath resource " + resource + " not found");
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    static int[] toInt(long[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = Math.toIntExact(a[i]);
        return out;
    }
}
