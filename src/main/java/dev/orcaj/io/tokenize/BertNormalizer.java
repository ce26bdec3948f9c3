package dev.orcaj.io.tokenize;

import java.text.Normalizer;
import java.util.Locale;

/**
 * HF {@code BertNormalizer}, steps in HF's order:
 * <ol>
 *   <li>clean_text: drop U+0000, U+FFFD and "control" chars (categories Cc except \t \n \r, Cf, Co, Cs; HF's table
 *       does not treat unassigned Cn as control, checked against the Rust library), then map White_Space to ' ';</li>
 *   <li>handle_chinese_chars: put spaces around CJK ideographs (the ranges of the original BERT code);</li>
 *   <li>strip_accents (defaults to the lowercase flag when null): NFD, then drop nonspacing marks (Mn);</li>
 *   <li>lowercase: per code point full lower-case mapping (as Rust {@code char::to_lowercase}, so no
 *       final-sigma context rule).</li>
 * </ol>
 * Known divergence: HF takes the categories Mn/P*&#47;Cf from an older Unicode table (crate unicode_categories),
 * Java from Unicode 16, so marks and punctuation added to Unicode after about 2016 may be treated differently.
 */
final class BertNormalizer {
    private final boolean cleanText;
    private final boolean chineseChars;
    private final boolean stripAccents;
    private final boolean lowercase;

    BertNormalizer(boolean cleanText, boolean chineseChars, boolean stripAccents, boolean lowercase) {
        this.cleanText = cleanText;
        this.chineseChars = chineseChars;
        this.stripAccents = stripAccents;
        this.lowercase = lowercase;
    }

    static BertNormalizer fromJson(TokenizerJson json) {
        var n = json.require(json.root, "", "normalizer");
        json.requireType(n, "normalizer", "BertNormalizer");
        boolean lower = json.bool(n, "lowercase", true);
        return new BertNormalizer(json.bool(n, "clean_text", true), json.bool(n, "handle_chinese_chars", true),
                json.bool(n, "strip_accents", lower), lower);
    }

    String normalize(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cleanText) {
                if (cp == 0 || cp == 0xFFFD || isControl(cp)) return;
                if (UnicodeProps.isWhiteSpace(cp)) cp = ' ';
            }
            if (chineseChars && isChineseChar(cp)) sb.append(' ').appendCodePoint(cp).append(' ');
            else sb.appendCodePoint(cp);
        });
        String s = sb.toString();
        if (stripAccents) {
            String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(nfd.length());
            nfd.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(kept::appendCodePoint);
            s = kept.toString();
        }
        if (lowercase) {
            StringBuilder lower = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> lower.append(Character.toString(cp).toLowerCase(Locale.ROOT)));
            s = lower.toString();
        }
        return s;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideograph blocks of BERT's {@code _is_chinese_char} (as in HF). */
    static boolean isChineseChar(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
