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

/** Layer norm of 1024 tokens x 384 features (MiniLM hidden size): forward, and forward + backward. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LayerNormBench {
    @Param({"1", "2"})
    public int threads;

    private final int rows = 1024, cols = 384;
    private float[] x, gamma, beta, y, mean, rstd, dy, dx, dGamma, dBeta;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        x = new float[rows * cols];
        dy = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
            dy[i] = (float) rnd.nextGaussian();
        }
        gamma = new float[cols];
        beta = new float[cols];
        for (int j = 0; j < cols; j++) {
            gamma[j] = 1f + 0.1f * (float) rnd.nextGaussian();
            beta[j] = 0.1f * (float) rnd.nextGaussian();
        }
        y = new float[x.length];
        dx = new float[x.length];
        mean = new float[rows];
        rstd = new float[rows];
        dGamma = new float[cols];
        dBeta = new float[cols];
        CpuPool.setThreads(threads);
    }

    @Benchmark
    public float[] forward() {
        VecKernels.layerNormRows(x, gamma, beta, 1e-12f, y, mean, rstd, rows, cols);
        return y;
    }

    @Benchmark
    public float[] forwardBackward() {
        VecKernels.layerNormRows(x, gamma, beta, 1e-12f, y, mean, rstd, rows, cols);
        VecKernels.layerNormBackwardRows(dy, x, gamma, mean, rstd, dx, dGamma, dBeta, rows, cols);
        return dx;
    }
}
