package dev.orcaj.data;

import dev.orcaj.io.OneLine;

import java.nio.file.Path;

/** A data file does not have the expected format; the message names the file, the place and what was expected, on one line. */
public final class DataFormatException extends RuntimeException {

    public DataFormatException(String message) {
        super(OneLine.of(message));
    }

    public DataFormatException(String message, Throwable cause) {
        super(OneLine.of(message), cause);
    }

    /** "file:line: message" (line is 1-based). */
    public static DataFormatException at(Object file, long line, String message) {
        return new DataFormatException(file + ":" + line + ": " + message);
    }

    /** "file: message" for problems not tied to one line (header, shape, missing dataset). */
    public static DataFormatException in(Path file, String message) {
        return new DataFormatException(file + ": " + message);
    }
}
