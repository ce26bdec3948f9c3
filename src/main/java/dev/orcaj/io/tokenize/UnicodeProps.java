package dev.orcaj.io.tokenize;

/**
 * The Unicode character predicates that Hugging Face {@code tokenizers} (Rust) uses, written against Java's tables.
 * Rust's {@code char::is_whitespace} is the Unicode White_Space property, which differs from
 * {@link Character#isWhitespace} (that one excludes no-break spaces and includes U+001C..U+001F).
 */
final class UnicodeProps {
    private UnicodeProps() {}

    /** Unicode White_Space (Rust {@code char::is_whitespace}, Oniguruma {@code \s}). */
    static boolean isWhiteSpace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Unicode general category P* (Pc, Pd, Ps, Pe, Pi, Pf, Po). */
    static boolean isPunctuation(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Rust {@code char::is_ascii_punctuation}: every printable ASCII char that is not a letter, digit or space. */
    static boolean isAsciiPunctuation(int cp) {
        return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x60)
                || (cp >= 0x7B && cp <= 0x7E);
    }
}
