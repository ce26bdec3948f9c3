package dev.orcaj.io.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HF {@code ByteLevel} pre-tokenizer (GPT-2, RoBERTa): optional prefix space, the GPT-2 split regex, then every
 * UTF-8 byte of a piece mapped to a printable char with GPT-2's {@code bytes_to_unicode} table (so ' ' becomes 'Ġ').
 */
final class ByteLevel {
    /**
     * GPT-2's pattern (Radford et al. 2019, encoder.py). UNICODE_CHARACTER_CLASS makes {@code \s} the White_Space
     * property, as Oniguruma's {@code \s} in HF; {@code \s+(?!\S)} leaves the last space to prefix the next word.
     */
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_TO_CHAR = bytesToUnicode();

    private final boolean addPrefixSpace;
    private final boolean useRegex;

    ByteLevel(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.useRegex = useRegex;
    }

    /** The byte-mapped pre-tokens of one piece of text. */
    List<String> preTokenize(String text) {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) return out;
        // HF prepends only when the piece does not already start with the ASCII space
        if (addPrefixSpace && text.charAt(0) != ' ') text = " " + text;
        if (!useRegex) {
            out.add(mapBytes(text));
            return out;
        }
        Matcher m = GPT2_SPLIT.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) out.add(mapBytes(text.substring(last, m.start())));
            out.add(mapBytes(m.group()));
            last = m.end();
        }
        if (last < text.length()) out.add(mapBytes(text.substring(last)));
        return out;
    }

    static String mapBytes(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(out);
    }

    /**
     * GPT-2 {@code bytes_to_unicode}: the printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves,
     * the other 68 bytes, in increasing order, to U+0100, U+0101, ...
     */
    static char[] bytesToUnicode() {
        char[] table = new char[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char) b : (char) (256 + extra++);
        }
        return table;
    }
}
