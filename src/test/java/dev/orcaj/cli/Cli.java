package dev.orcaj.cli;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.models.Body;
import dev.orcaj.orca.TinyTask;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs {@code orca ...} in-process with System.out/err captured, and writes the tiny fixtures the CLI tests feed it. */
final class Cli {
    record Result(int code, String out, String err) {
        String all() { return out + err; }
    }

    private Cli() {}

    static synchronized Result orca(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = OrcaCli.run(args);
            System.out.flush();
            System.err.flush();
            return new Result(code, out.toString(StandardCharsets.UTF_8), withoutFuzzerLog(err.toString(StandardCharsets.UTF_8)));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The tiny random BERT body as an 'orca convert'-style checkpoint (--body FILE). */
    static Path tinyBody(Path dir) throws IOException {
        Body b = TinyTask.body().get();
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        b.module().namedParameters().forEach((n, p) -> { if (!p.isBuffer()) tensors.put(n, NdArray.ofFloats(p.get().toFloatArray(), p.get().shape())); });
        Path file = dir.resolve("tiny-body.safetensors");
        EngineCheckpoint.write(file, TinyTask.CONFIG, tensors);
        return file;
    }

    /** {@code n} rows of the tiny two-class task as X [n, 24] float and Y [n] int: the data spec "npy:X,Y". */
    static String tinyData(Path dir, int n, int length) throws IOException {
        ArrayDataset d = TinyTask.data(n, 1);
        float[] x = d.features();
        if (length != 24) x = new float[n * length];
        Path xf = dir.resolve("x" + length + ".npy"), yf = dir.resolve("y" + length + ".npy");
        Npy.write(xf, NdArray.ofFloats(x, n, length));
        Npy.write(yf, NdArray.ofInts(d.labels(), n));
        return "npy:" + xf + "," + yf;
    }

    /** One finished 1-epoch finetune run of the tiny task in {@code dir}/run; returns its model file. */
    static Path finishedTinyRun(Path dir, Path body, String data) {
        Path run = dir.resolve("run");
        Result r = orca("run", "--data", data, "--body", body.toString(), "--methods", "finetune", "--epochs", "1", "--batch-size", "16",
                "--threads", "2", "--out", run.toString());
        if (r.code() != 0) throw new AssertionError("the tiny run failed: " + r.all());
        return run.resolve("models/finetune-seed0.safetensors");
    }

    /**
     * The fuzz tests' regression runs install Jazzer's agent in this JVM; from then on every class loaded for the first
     * time (e.g. by the command under test) makes it print "INFO: Instrumented ..." to System.err, which is not orca's output.
     */
    private static String withoutFuzzerLog(String err) {
        return err.lines().filter(l -> !l.startsWith("INFO: Instrumented ")).map(l -> l + "\n").reduce("", String::concat);
    }
}
