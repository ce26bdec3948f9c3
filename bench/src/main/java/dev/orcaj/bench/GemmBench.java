package dev.orcaj.bench;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.backend.cpu.Sgemm;
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

/**
 * C = A x B for row-major float matrices, shape "MxKxN" (A is MxK, B is KxN); {@code sgemmTransB} is C = A x B^T,
 * the layout of a Linear layer's forward pass (x W^T), which torch's nn.Linear also computes. Reports the average time per call;
 * bench/gemm-vs-numpy.sh turns it into GFLOP/s (2MNK / time) and compares with numpy on the same shapes.
 *
 * <p>Set-up first runs every transpose combination, edge tiles and the half-width kernel on one and two
 * threads, so that C2 compiles the kernels with all their branches live (otherwise it prunes untaken branches
 * and deoptimizes later, which shows up as a slow measurement).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {
    /** The transformer shapes of issue 10 (M = 1024 tokens, K and N in {384, 768, 1536, 3072}) and two squares. */
    @Param({"1024x384x384", "1024x384x768", "1024x384x1536", "1024x384x3072",
            "1024x768x384", "1024x768x768", "1024x768x1536", "1024x768x3072",
            "1024x3072x384", "1024x3072x768", "1024x3072x1536", "1024x3072x3072",
            "512x512x512", "2048x2048x2048"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m, k, n;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        Random rnd = new Random(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
        warmAllPaths();
        CpuPool.setThreads(threads);
    }

    private static void warmAllPaths() {
        float[] x = new float[301 * 259], y = new float[259 * 317], z = new float[301 * 317];
        for (int t : new int[] {1, 2}) {
            CpuPool.setThreads(t);
            for (int rep = 0; rep < 20; rep++) {
                for (int tr = 0; tr < 4; tr++) {
                    boolean ta = tr >= 2, tb = (tr & 1) == 1;
                    Sgemm.sgemm(ta, tb, 301, 317, 259, 1f, x, 0, ta ? 301 : 259, y, 0, tb ? 259 : 317,
                            rep % 2 == 0 ? 0f : 1f, z, 0, 317);
                    // n = 20 takes the half-width kernel
                    Sgemm.sgemm(ta, tb, 301, 20, 259, 1f, x, 0, ta ? 301 : 259, y, 0, tb ? 259 : 20,
                            rep % 2 == 0 ? 0f : 1f, z, 0, 20);
                }
            }
        }
    }

    @Benchmark
    public float[] sgemm() {
        Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }

    /** B holds W (N x K, row-major), so op(B) = W^T as in y = x W^T. */
    @Benchmark
    public float[] sgemmTransB() {
        Sgemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
        return c;
    }
}
