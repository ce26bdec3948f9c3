package dev.orcaj.io.onnx;

/** An ONNX model that cannot be read or mapped; the message names the model and what is wrong. */
public final class OnnxFormatException extends IllegalArgumentException {
    public OnnxFormatException(String message) { super(dev.orcaj.io.OneLine.of(message)); }
}
