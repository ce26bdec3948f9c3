package dev.orcaj.bench;

import dev.orcaj.backend.cpu.CpuPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A whole training step ({@link TrainStep}: forward, mean-pool + linear head, cross-entropy, backward, AdamW over
 * all parameters) of MiniLM-L6 or a RoBERTa-base-shaped body. Shapes as {@code model:BxS}, e.g.
 * {@code -p shape=minilm:16x64,minilm:8x512,roberta:16x64}. Allocation per step: add {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
public class TrainStepBench {
    @Param({"minilm:16x64", "minilm:8x512", "roberta:16x64"})
    public String shape;

    @Param({"2"})
    public int threads;

    /** Buffer reuse across steps (tensor.BufferPool) on or off. */
    @Param({"true", "false"})
    public boolean reuse;

    /** fused: the attention primitive (Ops.attention, blockwise on the CPU); composed: matmul, softmax, matmul. */
    @Param({"fused", "composed"})
    public String attention;

    TrainStep step;

    @Setup(Level.Trial)
    public void setup() {
        CpuPool.setThreads(threads);
        if (!attention.equals("fused") && !attention.equals("composed")) throw new IllegalArgumentException("attention must be fused or composed, got " + attention);
        dev.orcaj.nn.Attention.setFused(attention.equals("fused"));
        String[] p = shape.split("[:x]");
        step = new TrainStep(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), reuse);
    }

    @Benchmark
    public double trainStep() { return step.step(); }
}
