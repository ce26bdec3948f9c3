package dev.orcaj.bench.ot;

import dev.orcaj.ot.ClasswiseOtdd;
import dev.orcaj.ot.LabelledPoints;
import dev.orcaj.ot.Otdd;
import dev.orcaj.ot.OtddOptions;
import dev.orcaj.ot.PointCloud;
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
 * Benchmarks (b) and (c): one ORCA embedder step for one target class = OTDD (ORCA's exact settings,
 * float32) of a 128-point target class, labelled as one class, against 5000 labelled source points
 * (10 classes of 500, d=768), value + gradient with respect to the target.
 * <ul>
 * <li>{@code cached}: {@link ClasswiseOtdd} with the source-source label distances and outer cost cached
 * (self-potential cache off: every call solves the source self-problem, as when the schedule changes);
 * <li>{@code cachedFixedSchedule}: {@link ClasswiseOtdd#withFixedDiameter}: the epsilon schedule is fixed per
 * source set, so the source self-potential is computed once and reused;
 * <li>{@code cachedGradientOnly}: as {@code cached} but without the value: the source self-problem, which
 * does not affect the gradient, is skipped (what an embedder step needs);
 * <li>{@code uncachedReference}: {@link Otdd#distance} recomputing everything, as the reference does.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class ClasswiseOtddBench {
    static final int SOURCE = 5000, CLASSES = 10, TARGET = 128, D = 768;
    LabelledPoints source;
    PointCloud target;
    ClasswiseOtdd cached, cachedFixedSchedule;

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] means = SinkhornBench.gaussian(rnd, CLASSES * D, 0.0);
        float[] x = SinkhornBench.gaussian(rnd, SOURCE * D, 0.0);
        int[] labels = new int[SOURCE];
        for (int i = 0; i < SOURCE; i++) {
            labels[i] = i % CLASSES;
            for (int k = 0; k < D; k++) x[i * D + k] += means[labels[i] * D + k];
        }
        source = LabelledPoints.of(PointCloud.of(x, SOURCE, D), labels);
        target = PointCloud.of(SinkhornBench.gaussian(rnd, TARGET * D, 0.3), TARGET, D);
        cached = new ClasswiseOtdd(source, OtddOptions.orca(), false);
        cachedFixedSchedule = cached.withFixedDiameter(cached.referenceDiameter(target));
    }

    @Benchmark
    public double[] cached() { return cached.evaluate(target).gradTarget(); }

    @Benchmark
    public double[] cachedGradientOnly() { return cached.evaluate(target, false).gradTarget(); }

    @Benchmark
    public double[] cachedFixedSchedule() { return cachedFixedSchedule.evaluate(target).gradTarget(); }

    @Benchmark
    public double[] uncachedReference() {
        return Otdd.distance(source, LabelledPoints.singleClass(target), OtddOptions.orca(), true).gradTarget();
    }
}
