package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.Backends;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.nn.Functional;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.ot.EpsilonSchedule;
import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.SinkhornSolver;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GPU benchmark driver for bench/gpu-check.sh (a main, not a test): prints {@code RESULT <name> <value> <unit>}
 * lines. Sections: gemm (fp32 / TF32 / bf16 TFLOP/s at 8192^3), step (MiniLM-L6 forward + backward + AdamW,
 * batch 32 x 128 tokens, CPU backend vs host-resident CudaBackend), sinkhorn (debiased geomloss Sinkhorn
 * divergence + gradient, 5000 x 5000 points in 768 dims; writes the epsilon schedule to args[1] for PyTorch).
 */
public final class CudaBench {
    private CudaBench() {}

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        if (!Cuda.available()) {
            System.out.println("RESULT cuda_unavailable 0 - " + Cuda.unavailableReason());
            return;
        }
        CudaDevice dev = Cuda.device(0);
        System.out.println("device " + dev + ", GEMM path " + dev.gemm().path());
        if (what.equals("all") || what.equals("gemm")) gemm(dev);
        if (what.equals("all") || what.equals("sinkhorn")) sinkhorn(dev, args.length > 1 ? Path.of(args[1]) : null);
        if (what.equals("all") || what.equals("step")) step(dev);
        System.out.println("memory " + dev.memoryStats());
    }

    private static void gemm(CudaDevice dev) {
        int n = 8192;
        float[] a = Tensor.randn(DType.F32, new SplittableRandom(1), 1, n * n).toFloatArray();
        for (Gemm.Mode mode : Gemm.Mode.values()) {
            try (DeviceBuffer da = mode == Gemm.Mode.BF16 ? dev.upload(Bf16.pack(Bf16.round(a))) : dev.upload(a);
                 DeviceBuffer c = dev.allocate(4L * n * n)) {
                Runnable call = () -> dev.gemm().gemm(false, false, n, n, n, 1f, da, n, da, n, 0f, c, n, mode);
                double s = time(dev, call, 3, 10);
                System.out.printf("RESULT gemm_%s %.1f TFLOP/s%n", mode.name().toLowerCase(), 2.0 * n * n * n / s / 1e12);
            }
        }
    }

    private static double time(CudaDevice dev, Runnable r, int warm, int reps) {
        for (int i = 0; i < warm; i++) r.run();
        dev.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        dev.synchronize();
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    private static void sinkhorn(CudaDevice dev, Path epsOut) throws Exception {
        int n = 5000, d = 768;
        float[] x = Tensor.randn(DType.F32, new SplittableRandom(2), 1, n * d).toFloatArray();
        float[] y = Tensor.randn(DType.F32, new SplittableRandom(3), 1, n * d).toFloatArray();
        for (int i = 0; i < y.length; i++) y[i] += 0.1f;
        double[] eps = EpsilonSchedule.geomloss(2, EpsilonSchedule.diameter(PointCloud.of(x, n, d), PointCloud.of(y, n, d)), 0.05, 0.5);
        if (epsOut != null) {
            StringBuilder sb = new StringBuilder();
            for (double e : eps) sb.append(e).append('\n');
            Files.writeString(epsOut, sb.toString());
        }
        CudaOt ot = new CudaOt(dev);
        double[] w = SinkhornSolver.uniformLogWeights(n);
        try (CudaOt.Cloud cx = ot.cloud(x, n, d, null); CudaOt.Cloud cy = ot.cloud(y, n, d, null)) {
            ot.divergence(cx, w, cy, w, GroundCost.geomloss(2), eps, true, true); // warm-up (PTX JIT, allocator)
            long t0 = System.nanoTime();
            CudaOt.Divergence r = ot.divergence(cx, w, cy, w, GroundCost.geomloss(2), eps, true, true);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("RESULT sinkhorn_5000x5000x768_orcaj_gpu %.3f s (%d eps, value %.6f)%n", s, eps.length, r.value());
        }
    }

    private static void step(CudaDevice dev) throws Exception {
        for (Backend backend : new Backend[] {Backends.CPU, new CudaBackend(dev)}) {
            Backends.useForF32(backend);
            BertModel m = Bodies.miniLm();
            AdamW opt = new AdamW(List.of(ParamGroup.of(m)), 1e-5, 0.9, 0.999, 1e-8, 0.01);
            int b = 32, s = 128;
            SplittableRandom rng = new SplittableRandom(4);
            int[] ids = new int[b * s], labels = new int[b];
            for (int i = 0; i < ids.length; i++) ids[i] = 1000 + rng.nextInt(20000);
            for (int i = 0; i < b; i++) labels[i] = i % 4;
            Tensor head = Tensor.randn(DType.F32, rng, 0.02, m.hiddenSize(), 4).requiresGrad(true);
            Runnable stepOnce = () -> {
                opt.zeroGrad();
                Tensor logits = m.forward(ids, null, null, b, s).lastHiddenState().mean(1).matmul(head);
                Functional.crossEntropy(logits, labels).backward();
                opt.step();
            };
            stepOnce.run();
            long t0 = System.nanoTime();
            int reps = 3;
            for (int i = 0; i < reps; i++) stepOnce.run();
            System.out.printf("RESULT minilm_step_b32s128_orcaj_%s %.3f s%n", backend.name().replace(':', '_'), (System.nanoTime() - t0) / 1e9 / reps);
        }
        Backends.useForF32(Backends.CPU);
    }
}
