package dev.orcaj.cli;

import dev.orcaj.backend.Backends;
import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import picocli.CommandLine.Command;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * {@code orca selfcheck}: a quick check that this machine runs the fast CPU backend correctly (a few ops compared
 * with the scalar reference backend) plus a GEMM micro-benchmark. Not a substitute for the test suite or JMH.
 */
@Command(name = "selfcheck", mixinStandardHelpOptions = true, description = "Engine self-check (fast vs reference backend) and a GEMM micro-benchmark.")
public final class SelfCheckCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("ORCA-J engine self-check: java " + Runtime.version() + ", " + CpuPool.threads() + " threads, vector module "
                + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        SplittableRandom rng = new SplittableRandom(1);
        Tensor a = Tensor.randn(DType.F32, rng, 1, 67, 129), b = Tensor.randn(DType.F32, rng, 1, 129, 33), g = Tensor.randn(DType.F32, rng, 1, 33);
        int failures = 0;
        failures += compare("matmul", t -> t[0].matmul(t[1]), a, b);
        failures += compare("softmax", t -> t[0].softmax(), a);
        failures += compare("layernorm", t -> t[0].layerNorm(t[1], t[1], 1e-5), a.matmul(b), g);
        failures += compare("gelu", t -> t[0].gelu(), a);
        int n = 512;
        Tensor x = Tensor.randn(DType.F32, rng, 1, n, n), y = Tensor.randn(DType.F32, rng, 1, n, n);
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 3_000_000_000L) x.matmul(y); // let C2 compile the kernels first
        long t0 = System.nanoTime();
        int reps = 10;
        for (int i = 0; i < reps; i++) x.matmul(y);
        double s = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf(java.util.Locale.ROOT, "  gemm %dx%dx%d: %.1f GFLOP/s (rough; bench/ has the JMH numbers)%n", n, n, n, 2.0 * n * n * n / s / 1e9);
        System.out.println(failures == 0 ? "self-check passed" : failures + " check(s) FAILED");
        return failures == 0 ? 0 : 1;
    }

    private static int compare(String name, Function<Tensor[], Tensor> f, Tensor... in) {
        var before = Backends.currentF32();
        try {
            Backends.useForF32(Backends.REF);
            float[] ref = f.apply(in).toFloatArray();
            Backends.useForF32(Backends.CPU);
            float[] cpu = f.apply(in).toFloatArray();
            double scale = 0, err = 0;
            for (int i = 0; i < ref.length; i++) {
                scale = Math.max(scale, Math.abs(ref[i]));
                err = Math.max(err, Math.abs(ref[i] - cpu[i]));
            }
            boolean ok = err <= 2e-5 * scale + 1e-6;
            System.out.printf(java.util.Locale.ROOT, "  %-10s max |cpu - ref| = %.2e (scale %.2e) %s%n", name, err, scale, ok ? "ok" : "MISMATCH");
            return ok ? 0 : 1;
        } finally {
            Backends.useForF32(before);
        }
    }
}
