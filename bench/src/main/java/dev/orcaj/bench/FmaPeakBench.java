package dev.orcaj.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-precision FMA peak of the host's cores as the JIT reaches it: 12 independent accumulator chains of
 * {@code c = m * a + c}, the accumulate form of the GEMM kernels (on Zen 3 the form {@code c = c * m + a}, which puts the chain on
 * a multiplicand, measured ~20% slower: 83 vs 100 GFLOP/s per core). 12 chains cover 2 FMA pipes x 4-5 cycles of
 * latency, and with the two operands they fit the 16 registers of AVX2. Scores are FLOP/s (2 per lane per FMA). Run the
 * width the host prefers: {@code p256} on AVX2, {@code p512} on AVX-512 (the other width is either emulated or split).
 * {@code x2} runs the loop on two threads at once and JMH sums them: the two-core peak. GemmBench GFLOP/s divided by
 * this is the share of peak.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FmaPeakBench {
    private static final int ITERATIONS = 100_000;
    private static final int CHAINS = 12;

    public float seed = 1e-3f;

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * CHAINS * 2 * 8)
    public float p256x1() {
        return chains256(seed);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(ITERATIONS * CHAINS * 2 * 8)
    public float p256x2() {
        return chains256(seed);
    }

    @Benchmark
    @OperationsPerInvocation(ITERATIONS * CHAINS * 2 * 16)
    public float p512x1() {
        return chains512(seed);
    }

    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(ITERATIONS * CHAINS * 2 * 16)
    public float p512x2() {
        return chains512(seed);
    }

    // One copy per width: the Vector API compiles to vector instructions only where the species is a constant,
    // and a species passed as an argument stays constant only if C2 inlines this loop, which it does not promise.
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;

    private static float chains256(float seed) {
        FloatVector m = FloatVector.broadcast(S256, 0.999f), a = FloatVector.broadcast(S256, seed);
        FloatVector c0 = a, c1 = a.add(1), c2 = a.add(2), c3 = a.add(3), c4 = a.add(4), c5 = a.add(5);
        FloatVector c6 = a.add(6), c7 = a.add(7), c8 = a.add(8), c9 = a.add(9), c10 = a.add(10), c11 = a.add(11);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = m.fma(a, c0); c1 = m.fma(a, c1); c2 = m.fma(a, c2); c3 = m.fma(a, c3);
            c4 = m.fma(a, c4); c5 = m.fma(a, c5); c6 = m.fma(a, c6); c7 = m.fma(a, c7);
            c8 = m.fma(a, c8); c9 = m.fma(a, c9); c10 = m.fma(a, c10); c11 = m.fma(a, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static float chains512(float seed) {
        FloatVector m = FloatVector.broadcast(S512, 0.999f), a = FloatVector.broadcast(S512, seed);
        FloatVector c0 = a, c1 = a.add(1), c2 = a.add(2), c3 = a.add(3), c4 = a.add(4), c5 = a.add(5);
        FloatVector c6 = a.add(6), c7 = a.add(7), c8 = a.add(8), c9 = a.add(9), c10 = a.add(10), c11 = a.add(11);
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = m.fma(a, c0); c1 = m.fma(a, c1); c2 = m.fma(a, c2); c3 = m.fma(a, c3);
            c4 = m.fma(a, c4); c5 = m.fma(a, c5); c6 = m.fma(a, c6); c7 = m.fma(a, c7);
            c8 = m.fma(a, c8); c9 = m.fma(a, c9); c10 = m.fma(a, c10); c11 = m.fma(a, c11);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
