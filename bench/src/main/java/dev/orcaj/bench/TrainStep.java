package dev.orcaj.bench;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.io.BertConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.nn.Functional;
import dev.orcaj.nn.Linear;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.tensor.BufferPool;
import dev.orcaj.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One supervised training step of a BERT-shaped body, the work bench/peer_train_step.py does in PyTorch:
 * embeddings + encoder forward, masked mean-pool over tokens, linear head to {@link #CLASSES} logits, mean
 * cross-entropy, backward, AdamW (lr 1e-5, wd 0.01) over every parameter (body and head). Dropout is 0 on both
 * sides so neither pays for random masks. Weights are random with the body's shapes.
 *
 * <p>{@code main} runs {@code steps} steps and prints the mean time of the last half: the process used for peak
 * RSS ({@code /usr/bin/time -v}) and for JFR profiles.
 */
public final class TrainStep {
    public static final int CLASSES = 2;

    final BertModel body;
    final Linear head;
    final AdamW optimizer;
    final int batch, seq;
    final int[] ids, mask, labels;
    final Tensor poolWeights;
    /** Non-null: every step runs inside a step of this pool (buffer reuse); null: every buffer is allocated fresh. */
    final BufferPool buffers;

    public TrainStep(String model, int batch, int seq) { this(model, batch, seq, true); }

    public TrainStep(String model, int batch, int seq, boolean reuseBuffers) {
        buffers = reuseBuffers ? new BufferPool() : null;
        BertConfig cfg = switch (model) {
            case "minilm" -> BertConfig.allMiniLmL6V2();
            case "roberta" -> BertConfig.robertaBase();
            default -> throw new IllegalArgumentException("model must be minilm or roberta, got " + model);
        };
        this.batch = batch;
        this.seq = seq;
        body = new BertModel(cfg, false, 1);
        body.setDropout(0, 0);
        body.train(true);
        head = new Linear(cfg.hiddenSize(), CLASSES, true, new SplittableRandom(3));
        List<ParamGroup> groups = List.of(ParamGroup.of(body), ParamGroup.of(head.trainableParameters()));
        optimizer = new AdamW(groups, 1e-5, 0.9, 0.999, 1e-8, 0.01);
        SplittableRandom rng = new SplittableRandom(2);
        ids = new int[batch * seq];
        mask = new int[batch * seq];
        labels = new int[batch];
        float[] pool = new float[batch * seq];
        for (int r = 0; r < batch; r++) {
            int len = seq / 2 + rng.nextInt(seq / 2 + 1); // realistic padding: seq/2..seq real tokens
            for (int t = 0; t < seq; t++) {
                ids[r * seq + t] = t < len ? 1000 + rng.nextInt(29000) : cfg.padTokenId();
                mask[r * seq + t] = t < len ? 1 : 0;
                pool[r * seq + t] = t < len ? 1f / len : 0f;
            }
            labels[r] = rng.nextInt(CLASSES);
        }
        poolWeights = Tensor.of(pool, batch, 1, seq); // masked mean as a [B,1,S] x [B,S,D] product
    }

    /** Forward, loss, backward, optimizer step; returns the loss. */
    public double step() {
        if (buffers == null) return stepBody();
        try (var s = buffers.open()) {
            return stepBody();
        }
    }

    private double stepBody() {
        Tensor h = body.forward(ids, mask, null, batch, seq).lastHiddenState();
        Tensor pooled = poolWeights.matmul(h).reshape(batch, h.shape(2));
        Tensor loss = Functional.crossEntropy(head.forward(pooled), labels);
        loss.backward();
        optimizer.step();
        optimizer.zeroGrad();
        return loss.item();
    }

    /** Usage: TrainStep MODEL BATCH SEQ STEPS [THREADS]; system property orcaj.bench.reuse=false turns buffer reuse off. */
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: TrainStep minilm|roberta BATCH SEQ STEPS [THREADS]");
            System.exit(2);
        }
        if (args.length > 4) CpuPool.setThreads(Integer.parseInt(args[4]));
        TrainStep s = new TrainStep(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]), !"false".equals(System.getProperty("orcaj.bench.reuse")));
        int steps = Integer.parseInt(args[3]);
        var threadsBean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long total = 0, cpu = 0, allocated = 0, gc = 0;
        int timed = 0;
        for (int i = 0; i < steps; i++) {
            long a0 = threadsBean.getTotalThreadAllocatedBytes(), c0 = os.getProcessCpuTime(), g0 = gcMillis(), t0 = System.nanoTime();
            double loss = s.step();
            long dt = System.nanoTime() - t0, dc = os.getProcessCpuTime() - c0, da = threadsBean.getTotalThreadAllocatedBytes() - a0, dg = gcMillis() - g0;
            if (i >= steps / 2) { // the second half: JIT warm, steady-state allocation
                total += dt;
                cpu += dc;
                allocated += da;
                gc += dg;
                timed++;
            }
            System.out.printf("step %d loss %.4f %.1f ms (cpu %.1f ms, allocated %.1f MB, gc %d ms, pool %.1f MB, released at close %.1f MB)%n", i, loss, dt / 1e6, dc / 1e6, da / 1e6, dg,
                    s.buffers == null ? 0 : s.buffers.freeFloats() * 4 / 1e6, s.buffers == null ? 0 : s.buffers.releasedAtClose() * 4 / 1e6);
        }
        int n = Math.max(timed, 1);
        System.out.printf("RESULT %s %dx%d reuse=%b threads=%d mean_ms=%.1f cpu_ms=%.1f alloc_mb_per_step=%.1f gc_share=%.3f%n", args[0], s.batch, s.seq, s.buffers != null,
                CpuPool.threads(), total / 1e6 / n, cpu / 1e6 / n, allocated / 1e6 / n, gc / (total / 1e6));
    }

    private static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) ms += Math.max(gc.getCollectionTime(), 0);
        return ms;
    }
}
