package dev.orcaj.cli;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.OrcaModel;
import dev.orcaj.orca.TaskSpec;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** {@code orca predict}: a saved model on inputs from a .npy file; the raw outputs to another .npy file. */
@Command(name = "predict", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Run a saved ORCA model on inputs from a .npy file and write its outputs as .npy.",
                "--inputs holds rows of the task's sample shape: [N, C, L] ([N, L] when C = 1) or [N, C, H, W].",
                "--out gets float32 outputs, written atomically: logits [N, K] (classes, multi-label),",
                "values [N, K] (regression) or fields [N, C_out, ...] (dense tasks)."},
        footer = {"%nExample:", "  orca predict --model runs/ecg/models/orca-seed0.safetensors --inputs x.npy --out logits.npy"})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A saved ORCA model (from run, finetune or align).")
    Path modelFile;
    @Option(names = "--inputs", required = true, paramLabel = "NPY", description = "Input rows (.npy).")
    Path inputs;
    @Option(names = "--out", required = true, paramLabel = "NPY", description = "Output .npy file.")
    Path out;
    @Option(names = "--batch-size", defaultValue = "256", description = "Rows per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        FlagChecks.applyThreads(threads);
        OutputPaths.requireNotAnInput("--out", out, "--model", modelFile);
        OutputPaths.requireNotAnInput("--out", out, "--inputs", inputs);
        OutputPaths.requireWritableFile("--out", out);
        Checkpoint.Loaded saved = Checkpoint.read(modelFile);
        NdArray x = Npy.read(inputs);
        int[] sample = sampleShape(x, saved.task());
        int n = x.intShape()[0], d = Shape.numel(sample);
        float[] values = x.toFloats();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) throw new IllegalArgumentException("--inputs " + inputs + ": element " + i + " is " + values[i] + " (NaN or infinite)");
        }
        OrcaModel model = saved.model();
        model.train(false);
        int[] outShape = saved.task().outputShape();
        int w = Shape.numel(outShape);
        float[] y = new float[n * w];
        try (var ng = Autograd.noGrad()) {
            for (int from = 0; from < n; from += batchSize) {
                int rows = Math.min(batchSize, n - from);
                int[] shape = new int[sample.length + 1];
                shape[0] = rows;
                System.arraycopy(sample, 0, shape, 1, sample.length);
                Tensor batch = Tensor.of(Arrays.copyOfRange(values, from * d, (from + rows) * d), shape);
                System.arraycopy(model.forward(batch).toFloatArray(), 0, y, from * w, rows * w);
            }
        }
        int[] full = new int[outShape.length + 1];
        full[0] = n;
        System.arraycopy(outShape, 0, full, 1, outShape.length);
        Npy.write(out, NdArray.ofFloats(y, full));
        System.out.println("wrote " + out + " " + Arrays.toString(full));
        return 0;
    }

    /** The per-row shape of {@code x}, checked against the task ([N, L] is read as C = 1). */
    private int[] sampleShape(NdArray x, TaskSpec task) {
        int[] s = x.intShape();
        int[] expected = task.inputShape();
        int[] sample = s.length == expected.length + 1 ? Arrays.copyOfRange(s, 1, s.length)
                : s.length == 2 && expected.length == 2 && expected[0] == 1 ? new int[] {1, s[1]} : null;
        if (sample == null || !Arrays.equals(sample, expected)) {
            throw new IllegalArgumentException("--inputs " + inputs + ": expected rows [N, " + join(expected) + "]" + (expected.length == 2 && expected[0] == 1 ? " or [N, " + expected[1] + "]" : "")
                    + " for the model's task " + task + ", got " + Arrays.toString(x.shape()));
        }
        return sample;
    }

    private static String join(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(v[i]);
        return b.toString();
    }
}
