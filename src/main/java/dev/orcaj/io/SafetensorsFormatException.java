package dev.orcaj.io;

/** A safetensors file or sharded index that does not follow the format; the message names the file (and tensor). */
public final class SafetensorsFormatException extends IllegalArgumentException {
    public SafetensorsFormatException(String message) { super(OneLine.of(message)); }

    public SafetensorsFormatException(String message, Throwable cause) { super(OneLine.of(message), cause); }
}
