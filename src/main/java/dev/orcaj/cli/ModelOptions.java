package dev.orcaj.cli;

import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/** The pretrained body and the shape of the embedder and head built around it (ORCA stage 1). */
public final class ModelOptions {
    @Option(names = "--body", defaultValue = "minilm", description = "minilm (built in), a Hugging Face checkpoint directory or a converted .safetensors file.")
    String body;
    @Option(names = "--patch", defaultValue = "0", description = "Embedder kernel = stride k; 0 = smallest that fits the body (default).")
    int patch;
    @Option(names = "--pooled-dense", description = "Use the official code's parameter-free dense head instead of the paper's linear head.")
    boolean pooledDense;

    /**
     * A supplier of fresh pretrained bodies; checkpoint weights are checked once, here. MiniLM is re-read from the jar
     * for each body (about a second) rather than kept: a kept copy of the weights (the ONNX bytes, ~130 MB) would
     * stay on the heap through every training stage and raise the run's peak memory.
     */
    Supplier<Body> bodies() throws IOException {
        if (body.equals("minilm")) {
            return () -> {
                try {
                    return Bodies.miniLm();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
        Path p = Path.of(body);
        Bodies.load(p); // fail fast with the loader's message
        return () -> {
            try {
                return Bodies.load(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
