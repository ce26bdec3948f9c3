package dev.orcaj.ot;

import dev.orcaj.backend.cpu.CpuPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OT code runs on the backend's CPU layer: the thread count {@code --threads} sets ({@link CpuPool#setThreads})
 * governs it, results do not depend on it, and it starts no thread pool of its own.
 */
class OtOnBackendPoolTest {
    // 600 source rows and 240 target rows of dimension 48: every row loop (grain 16-48) and every SGEMM
    // (>= 4M multiply-adds) in the call splits across 2 threads.
    private static final int N_SRC = 600, N_TGT = 240, D = 48, CLASSES = 3;

    @AfterEach
    void restoreThreads() {
        CpuPool.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static LabelledPoints source(Precision p) {
        Random rnd = new Random(21);
        double[] x = new double[N_SRC * D];
        int[] y = new int[N_SRC];
        for (int i = 0; i < N_SRC; i++) {
            y[i] = i % CLASSES;
            for (int k = 0; k < D; k++) x[i * D + k] = rnd.nextGaussian() + (k == y[i] ? 3 : 0);
        }
        PointCloud pc = PointCloud.of(x, N_SRC, D);
        return LabelledPoints.of(pc.as(p), y);
    }

    private static PointCloud target(Precision p) {
        Random rnd = new Random(22);
        double[] x = new double[N_TGT * D];
        for (int i = 0; i < x.length; i++) x[i] = 0.5 + rnd.nextGaussian();
        return PointCloud.of(x, N_TGT, D).as(p);
    }

    private static OtddResult classwise(int threads, Precision p) {
        CpuPool.setThreads(threads);
        return new ClasswiseOtdd(source(p), OtddOptions.orca().withPrecision(p)).evaluate(target(p));
    }

    @Test
    void oneAndTwoThreadsGiveBitwiseEqualOtddValuesAndGradients() {
        for (Precision p : Precision.values()) {
            OtddResult one = classwise(1, p), two = classwise(2, p);
            assertTrue(Double.isFinite(one.value()) && one.value() > 0, "value " + one.value());
            assertEquals(one.value(), two.value(), 0.0, "classwise value, " + p);
            assertArrayEquals(one.gradTarget(), two.gradTarget(), 0.0, "classwise gradient, " + p);
            for (int i = 0; i < one.labelDistances().length; i++) {
                assertArrayEquals(one.labelDistances()[i], two.labelDistances()[i], 0.0, "label distances, " + p);
            }
        }
        // the general entry point too (labelled target, exact inner problems for every class pair)
        LabelledPoints tgt = LabelledPoints.of(target(Precision.FLOAT32), java.util.stream.IntStream.range(0, N_TGT).map(i -> i % 2).toArray());
        CpuPool.setThreads(1);
        OtddResult one = Otdd.distance(source(Precision.FLOAT32), tgt, OtddOptions.orca(), true);
        CpuPool.setThreads(2);
        OtddResult two = Otdd.distance(source(Precision.FLOAT32), tgt, OtddOptions.orca(), true);
        assertEquals(one.value(), two.value(), 0.0, "otdd value");
        assertArrayEquals(one.gradTarget(), two.gradTarget(), 0.0, "otdd gradient");
    }

    @Test
    void otddStartsNoThreadPoolOfItsOwn() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.orcaj.ot.Parallel"), "ot's old private pool is gone");
        CpuPool.setThreads(1); // retires any pool an earlier test left, so this call's pool threads are new
        CpuPool.setThreads(2);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        OtddResult r = new ClasswiseOtdd(source(Precision.FLOAT32), OtddOptions.orca()).evaluate(target(Precision.FLOAT32));
        assertTrue(Double.isFinite(r.value()));
        Set<String> started = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).collect(Collectors.toSet());
        assertFalse(started.isEmpty(), "a 2-thread OTDD call of this size uses the backend's pool");
        for (String name : started) assertTrue(name.startsWith("orcaj-cpu-"), "thread started outside the backend's pool: " + name);
    }
}
