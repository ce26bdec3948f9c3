package dev.orcaj.backend.cuda;

import dev.orcaj.backend.Backends;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.ot.EpsilonSchedule;
import dev.orcaj.ot.GroundCost;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.ot.SinkhornSolver;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.io.BertConfig;
import dev.orcaj.orca.AlignmentLoss;
import dev.orcaj.orca.Objective;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.SourceFeatures;
import dev.orcaj.orca.TaskSpec;
import dev.orcaj.orca.TrainConfig;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Device;
import dev.orcaj.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GPU benchmark driver for bench/gpu-check.sh (a main, not a test): prints {@code RESULT <name> <value> <unit>}
 * lines. Sections: gemm (fp32 / TF32 / bf16 TFLOP/s at 8192^3), step (MiniLM-L6 forward + backward + AdamW,
 * batch 32 x 128 tokens, CPU vs the model resident on the GPU), roberta (RoBERTa-base-shape steps on the GPU at
 * B16 x S64 and B32 x S128), stage2 (one whole ORCA stage-2 epoch, CPU vs GPU), sinkhorn (debiased geomloss Sinkhorn
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
        if (what.equals("all") || what.equals("roberta")) roberta(dev);
        if (what.equals("all") || what.equals("stage2")) stage2(dev);
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

    private static final BertConfig ROBERTA_BASE = new BertConfig("roberta", 50265, 768, 12, 12, 3072, "gelu", 514, 1, 1e-5, 1);

    /** MiniLM-L6 training step, batch 32 x 128: the CPU backend, then the model resident on the GPU. */
    private static void step(CudaDevice dev) throws Exception {
        CudaBackend cuda = new CudaBackend(dev);
        for (Device device : new Device[] {Device.CPU, cuda}) {
            double s = trainStep(Bodies.miniLm(), device, 32, 128, 3);
            System.out.printf("RESULT minilm_step_b32s128_orcaj_%s %.3f s%n", device.name().replace(':', '_'), s);
        }
        System.out.println("transfers so far " + dev.transfers() + ", launches " + dev.launches());
    }

    /** RoBERTa-base-shape (random weights) training steps on the GPU at B16 x S64 and B32 x S128 (issue 15's target shapes). */
    private static void roberta(CudaDevice dev) {
        CudaBackend cuda = new CudaBackend(dev);
        for (int[] bs : new int[][] {{16, 64}, {32, 128}}) {
            long t0 = dev.transfers();
            double s = trainStep(new BertModel(ROBERTA_BASE, false, 1), cuda, bs[0], bs[1], 5);
            System.out.printf("RESULT roberta_step_b%ds%d_orcaj_gpu %.3f s (%d transfers in 6 steps)%n", bs[0], bs[1], s, dev.transfers() - t0);
        }
    }

    /** Mean seconds of {@code reps} steps (after one warm-up): forward, mean-pool, linear head, cross-entropy, backward, AdamW. */
    private static double trainStep(BertModel m, Device device, int b, int s, int reps) {
        m.to(device);
        SplittableRandom rng = new SplittableRandom(4);
        Linear head = new Linear(m.hiddenSize(), 4, true, rng);
        head.to(device);
        AdamW opt = new AdamW(List.of(ParamGroup.of(m), ParamGroup.of(head)), 1e-5, 0.9, 0.999, 1e-8, 0.01);
        int[] ids = new int[b * s], labels = new int[b];
        for (int i = 0; i < ids.length; i++) ids[i] = 1000 + rng.nextInt(20000);
        for (int i = 0; i < b; i++) labels[i] = i % 4;
        Runnable stepOnce = () -> {
            opt.zeroGrad();
            Tensor logits = m.forward(ids, null, null, b, s).lastHiddenState().mean(1);
            logits = head.forward(logits);
            Tensor loss = Functional.crossEntropy(logits, labels);
            loss.backward();
            opt.step();
            loss.item(); // the one value a training loop reads (and the step's synchronisation point)
        };
        stepOnce.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) stepOnce.run();
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    /**
     * One whole ORCA stage-2 epoch (OrcaRun.align, 1 alignment epoch, class-wise OTDD against 5000 labelled source
     * points in 768 dims, RoBERTa-base-width random body) with the model on the CPU, then on the GPU.
     */
    private static void stage2(CudaDevice dev) {
        CudaBackend cuda = new CudaBackend(dev);
        SplittableRandom rng = new SplittableRandom(9);
        int n = 5000, d = 768, classes = 10, rows = 1000, len = 1024;
        float[] f = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int c = 0; c < d; c++) f[i * d + c] = (float) (rng.nextGaussian() + 0.1 * labels[i]);
        }
        SourceFeatures source = new SourceFeatures(f, n, d, labels, classes, "random 5000 x 768, 10 classes");
        float[] x = new float[rows * len];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
            for (int t = 0; t < len; t++) x[i * len + t] = (float) (rng.nextGaussian() + Math.sin(t * (1 + y[i]) / 50.0));
        }
        ArrayDataset train = new ArrayDataset(x, new int[] {1, len}, new Targets.ClassLabels(y, classes));
        TaskSpec task = new TaskSpec("stage2-bench", new int[] {1, len}, TaskSpec.OutputKind.CLASSES, classes);
        var settings = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 1, 100, 0, false, TrainConfig.defaults());
        for (Device device : new Device[] {Device.CPU, cuda}) {
            Backends.placeModelsOn(device);
            try {
                long t0 = System.nanoTime();
                OrcaRun.Aligned a = OrcaRun.align(task, train, () -> Bodies.random(ROBERTA_BASE, 1), () -> AlignmentLoss.create(Objective.OTDD, source), settings, Progress.SILENT);
                System.out.printf("RESULT orca_stage2_epoch_5000src_orcaj_%s %.3f s (otdd %.5g -> %.5g, epoch alone %.3f s)%n", device.name().replace(':', '_'),
                        (System.nanoTime() - t0) / 1e9, a.result().before(), a.result().after(), a.result().seconds());
            } finally {
                Backends.placeModelsOn(Device.CPU);
            }
        }
    }
}
