package dev.orcaj.io;

/**
 * Error messages quote text taken from the input file (a header key, a tensor name, a cell); the CLI prints an error
 * as one line, so the input-error exceptions pass their message through {@link #of}: line breaks and other control
 * characters (a terminal escape included) become visible escapes. Found by the parser fuzz tests (dev.orcaj.fuzz).
 */
public final class OneLine {
    private OneLine() {}

    /** {@code message} with every control character except TAB written as an escape ({@code \n}, {@code \x1b}, ...). */
    public static String of(String message) {
        if (message == null || message.chars().noneMatch(OneLine::escaped)) return message;
        StringBuilder b = new StringBuilder(message.length() + 16);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (!escaped(c)) b.append(c);
            else if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else b.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
        }
        return b.toString();
    }

    private static boolean escaped(int c) {
        return (Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029';
    }
}
