package dev.orcaj.bench.ot;

import dev.orcaj.ot.EpsilonSchedule;
import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.Precision;
import dev.orcaj.ot.SinkhornDivergence;
import dev.orcaj.ot.SinkhornSolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (a): entropic OT between 1000 and 5000 points in d=768, float32, 100 log-domain Sinkhorn
 * iterations (geomloss symmetric updates at a fixed epsilon) plus the final extrapolation; cost matrices
 * included. {@code forwardBackward} adds the gradient with respect to the 5000 target points.
 * Peer, same work (same sizes, distributions, epsilon list, update rule, envelope-theorem gradient; cost matrices
 * built inside the timed call): {@code bench/peer_sinkhorn.py}, a direct PyTorch log-domain implementation
 * (target: this benchmark at least 5x faster, measured in the same run). Keep the two in step.
 * {@code *Geomloss}: the same with geomloss's epsilon-scaling list (blur 0.05, scaling 0.5, diameter of the joint
 * bounding box; peer {@code --schedule geomloss}), where epsilon changes every iteration. Side by side:
 * {@code bench/sinkhorn-vs-torch.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class SinkhornBench {
    static final int N = 1000, M = 5000, D = 768, ITERATIONS = 100;
    PointCloud x, y;
    double[] logA, logB, eps, epsGeomloss;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(42);
        x = PointCloud.of(gaussian(rnd, N * D, 0.0), N, D);
        y = PointCloud.of(gaussian(rnd, M * D, 0.1), M, D);
        logA = SinkhornSolver.uniformLogWeights(N);
        logB = SinkhornSolver.uniformLogWeights(M);
        eps = EpsilonSchedule.constant(50.0, ITERATIONS);
        // ORCA's own use: the geomloss epsilon-scaling list (a new epsilon every iteration; peer --schedule geomloss)
        epsGeomloss = EpsilonSchedule.geomloss(2, EpsilonSchedule.diameter(x, y), 0.05, 0.5);
    }

    @Benchmark
    public double forward() {
        return SinkhornDivergence.compute(x, null, logA, y, null, logB, GroundCost.geomloss(2), eps, false, Precision.FLOAT32, false).value();
    }

    @Benchmark
    public double[] forwardBackward() {
        return SinkhornDivergence.compute(x, null, logA, y, null, logB, GroundCost.geomloss(2), eps, false, Precision.FLOAT32, true).gradY();
    }

    @Benchmark
    public double forwardGeomloss() {
        return SinkhornDivergence.compute(x, null, logA, y, null, logB, GroundCost.geomloss(2), epsGeomloss, false, Precision.FLOAT32, false).value();
    }

    @Benchmark
    public double[] forwardBackwardGeomloss() {
        return SinkhornDivergence.compute(x, null, logA, y, null, logB, GroundCost.geomloss(2), epsGeomloss, false, Precision.FLOAT32, true).gradY();
    }

    static float[] gaussian(SplittableRandom rnd, int len, double shift) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            double u = rnd.nextDouble(), v = rnd.nextDouble();
            a[i] = (float) (shift + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return a;
    }
}
