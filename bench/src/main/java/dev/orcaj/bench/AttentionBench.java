package dev.orcaj.bench;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.nn.Attention;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Multi-head attention alone (nn.Attention#attend of given q, k, v [B, S, 384], 12 heads, a key-padding mask),
 * forward + backward, on the attention primitive (fused: the CPU backend's blockwise kernel) or the composed route
 * (matmul, fused scale+mask+softmax, matmul). Shapes {@code BxS}: 16x64 and 8x512 are MiniLM's B16xS64 and B8xS512.
 *
 * <p>{@code main} alternates the two routes in one JVM (fused, composed, composed, fused, ...) on this and on the whole
 * MiniLM training step ({@link TrainStep}), printing wall time, process CPU time and bytes allocated per step: on a
 * shared host CPU time and allocation are the comparable numbers, and alternation spreads the load over both routes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
public class AttentionBench {
    static final int D = 384, HEADS = 12;

    @Param({"16x64", "8x512"})
    public String shape;

    @Param({"fused", "composed"})
    public String attention;

    @Param({"2"})
    public int threads;

    Tensor q, k, v, mask;

    @Setup(Level.Trial)
    public void setup() {
        CpuPool.setThreads(threads);
        Attention.setFused(route(attention));
        String[] p = shape.split("x");
        init(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
    }

    static boolean route(String name) {
        if (!name.equals("fused") && !name.equals("composed")) throw new IllegalArgumentException("attention must be fused or composed, got " + name);
        return name.equals("fused");
    }

    void init(int b, int s) {
        SplittableRandom r = new SplittableRandom(1);
        q = Tensor.randn(DType.F32, r, 1, b, s, D).requiresGrad(true);
        k = Tensor.randn(DType.F32, r, 1, b, s, D).requiresGrad(true);
        v = Tensor.randn(DType.F32, r, 1, b, s, D).requiresGrad(true);
        float[] m = new float[b * s];
        for (int i = 0; i < b; i++) for (int t = s / 2 + r.nextInt(s / 2 + 1); t < s; t++) m[i * s + t] = -3.4028234663852886e38f;
        mask = Tensor.of(m, b, 1, 1, s);
    }

    @Benchmark
    public Tensor forwardBackward() {
        Tensor y = Attention.attend(q, k, v, HEADS, mask, null);
        y.sum().backward();
        q.zeroGrad();
        k.zeroGrad();
        v.zeroGrad();
        return y;
    }

    /**
     * Usage: AttentionBench ROUNDS [THREADS [BxS [op]]]: alternating fused/composed on the attention alone and
     * (without {@code op}) the MiniLM step, both at BxS (default 8x512).
     */
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        CpuPool.setThreads(args.length > 1 ? Integer.parseInt(args[1]) : 2);
        String[] bs = (args.length > 2 ? args[2] : "8x512").split("x");
        int b = Integer.parseInt(bs[0]), s = Integer.parseInt(bs[1]);
        AttentionBench op = new AttentionBench();
        op.init(b, s);
        int works = args.length > 3 && args[3].equals("op") ? 1 : 2;
        TrainStep step = works == 2 ? new TrainStep("minilm", b, s) : null;
        var threadsBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String[] names = {"attention " + b + "x" + s, "minilm step " + b + "x" + s};
        Runnable[] work = {op::forwardBackward, () -> step.step()};
        double[][][] sums = new double[2][2][3]; // [work][fused?][wall, cpu, alloc]
        for (int round = 0; round <= rounds; round++) { // round 0 warms both routes up and is not counted
            for (int w = 0; w < works; w++) {
                for (int j = 0; j < 2; j++) {
                    boolean fused = (round + j) % 2 == 0;
                    Attention.setFused(fused);
                    long a0 = threadsBean.getTotalThreadAllocatedBytes(), c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
                    work[w].run();
                    double wall = (System.nanoTime() - t0) / 1e6, cpu = (os.getProcessCpuTime() - c0) / 1e6, mb = (threadsBean.getTotalThreadAllocatedBytes() - a0) / 1e6;
                    System.out.printf("round %d %-18s %-8s wall %8.1f ms  cpu %8.1f ms  allocated %8.1f MB%n", round, names[w], fused ? "fused" : "composed", wall, cpu, mb);
                    if (round > 0) {
                        double[] sum = sums[w][fused ? 0 : 1];
                        sum[0] += wall;
                        sum[1] += cpu;
                        sum[2] += mb;
                    }
                }
            }
        }
        for (int w = 0; w < works; w++) {
            double[] f = sums[w][0], c = sums[w][1];
            System.out.printf("RESULT %s rounds=%d threads=%d fused/composed: wall %.1f/%.1f ms (%.2f), cpu %.1f/%.1f ms (%.2f), allocated %.1f/%.1f MB%n",
                    names[w], rounds, CpuPool.threads(), f[0] / rounds, c[0] / rounds, f[0] / c[0], f[1] / rounds, c[1] / rounds, f[1] / c[1], f[2] / rounds, c[2] / rounds);
        }
    }
}
