package dev.orcaj.bench;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.backend.cpu.VecKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

/** Attention-score softmax: batch 16 x 12 heads x 64 query rows, 64 keys; forward and backward. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SoftmaxBench {
    @Param({"1", "2"})
    public int threads;

    private final int rows = 16 * 12 * 64, cols = 64;
    private float[] x, y, dy, dx;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        x = new float[rows * cols];
        dy = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() * 3f;
            dy[i] = (float) rnd.nextGaussian();
        }
        y = new float[x.length];
        dx = new float[x.length];
        CpuPool.setThreads(threads);
    }

    @Benchmark
    public float[] forward() {
        VecKernels.softmaxRows(x, 0, y, 0, rows, cols);
        return y;
    }

    @Benchmark
    public float[] backward() {
        VecKernels.softmaxBackwardRows(y, dy, dx, rows, cols);
        return dx;
    }
}
