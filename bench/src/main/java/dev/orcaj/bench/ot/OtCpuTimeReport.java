package dev.orcaj.bench.ot;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Companion to the JMH benchmarks for a shared, noisy machine: runs each benchmark body a few times and reports
 * the minimum wall time and the median process CPU time per call (all threads). On an idle machine with T
 * worker threads the wall time approaches CPU time / T. Usage (after bench/run.sh built the jar):
 * {@code java --add-modules jdk.incubator.vector -Xmx2g -cp bench/target/benchmarks.jar dev.orcaj.bench.ot.OtCpuTimeReport [reps] [a|bc]}
 */
public final class OtCpuTimeReport {
    private OtCpuTimeReport() {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String only = args.length > 1 ? args[1] : ""; // "a" or "bc": run one group (separate peak RSS)
        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        if (!only.equals("bc")) {
            SinkhornBench a = new SinkhornBench();
            a.setup();
            ops.put("(a) sinkhorn forward", a::forward);
            ops.put("(a) sinkhorn forward+backward", a::forwardBackward);
        }
        if (!only.equals("a")) {
            ClasswiseOtddBench b = new ClasswiseOtddBench();
            b.setup();
            ops.put("(b) classwise cached", b::cached);
            ops.put("(b') classwise cached, gradient only", b::cachedGradientOnly);
            ops.put("(b'') classwise cached, fixed schedule", b::cachedFixedSchedule);
            ops.put("(c) uncached reference-style", b::uncachedReference);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.printf("threads=%d (CpuPool: orcaj.threads / ORCAJ_THREADS), cores=%d%n",
                dev.orcaj.backend.cpu.CpuPool.threads(), Runtime.getRuntime().availableProcessors());
        for (var e : ops.entrySet()) {
            e.getValue().call(); // warm-up
            e.getValue().call();
            double[] wall = new double[reps], cpu = new double[reps];
            for (int r = 0; r < reps; r++) {
                long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
                e.getValue().call();
                wall[r] = (System.nanoTime() - t0) * 1e-9;
                cpu[r] = (os.getProcessCpuTime() - c0) * 1e-9;
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf("%-40s wall min %.3f s  median %.3f s | cpu median %.3f s%n", e.getKey(), wall[0], wall[reps / 2], cpu[reps / 2]);
        }
    }
}
