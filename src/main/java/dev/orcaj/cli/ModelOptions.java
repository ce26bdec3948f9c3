package dev.orcaj.cli;

import dev.orcaj.models.Body;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.function.Supplier;

/** The pretrained body and the shape of the embedder and head built around it (ORCA stage 1). */
public final class ModelOptions {
    @Option(names = "--body", defaultValue = "minilm", description = "minilm (built in); bge-small or e5-small (bundled with -Pbodies, or NAME=PATH to the Maven artifact's jar or an .onnx file); a Hugging Face checkpoint directory or a converted .safetensors file; auto or auto:A,B,... (orca run: the candidate with the smallest final stage-2 distance).")
    String body;
    @Option(names = "--patch", defaultValue = "0", description = "Embedder kernel = stride k; 0 = smallest that fits the body (default).")
    int patch;
    @Option(names = "--pooled-dense", description = "Use the official code's parameter-free dense head instead of the paper's linear head.")
    boolean pooledDense;
    @Option(names = "--warm-init", description = "Start the fine-tuning baseline's embedder warm as ORCA's (LayerNorm copied from the body, Swin patch conv tiled): the paper's \"fine-tuning (warm init)\" ablation. Without it the baseline starts cold as in the official code.")
    boolean warmInit;

    /**
     * --patch against the task: a kernel larger than every input extent would make one token out of mostly zero
     * padding, which no pretrained body can use; refused rather than trained into a useless model.
     */
    void check(dev.orcaj.orca.TaskSpec task) {
        FlagChecks.atLeast("--patch", patch, 0);
        int largest = java.util.Arrays.stream(task.spatial()).max().orElse(1);
        if (patch > largest) {
            throw new IllegalArgumentException("--patch " + patch + " is larger than the input (" + dev.orcaj.tensor.Shape.str(task.spatial())
                    + " of task " + task.name() + "): the whole sample would become one zero-padded token; use 0 (automatic) or at most " + largest);
        }
    }

    /**
     * A supplier of fresh pretrained bodies; checkpoint weights are checked once, here. A pretrained ONNX body is re-read
     * for each body (about a second) rather than kept: a kept copy of the weights (the ONNX bytes, 90-130 MB) would
     * stay on the heap through every training stage and raise the run's peak memory.
     */
    Supplier<Body> bodies() throws IOException { return bodies(false); }

    /** {@link #bodies()}; {@code keep}: bodies built from weights the JVM's {@link dev.orcaj.tune.RungInputs} keeps (a search's rungs). */
    Supplier<Body> bodies(boolean keep) throws IOException {
        dev.orcaj.orca.BodySource source = dev.orcaj.orca.BodySource.parse(body);
        if (keep) return dev.orcaj.tune.RungInputs.bodies(source);
        if (source instanceof dev.orcaj.orca.BodySource.Checkpoint) source.load(); // fail fast with the loader's message
        return source.supplier();
    }
}
