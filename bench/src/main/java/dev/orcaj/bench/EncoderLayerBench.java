package dev.orcaj.bench;

import dev.orcaj.backend.cpu.CpuPool;
import dev.orcaj.io.BertConfig;
import dev.orcaj.models.bert.BertModel;
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
 * One post-LN transformer encoder layer at MiniLM size (D = 384, 12 heads, FFN 1536) on batch 16 x seq 64,
 * forward and forward+backward. Model FLOPs per forward: 2 * tokens * (4 D^2 + 2 D F) for the projections plus
 * 4 * B * S^2 * D for the attention products; backward counts twice the forward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncoderLayerBench {
    public static final int B = 16, S = 64, D = 384, HEADS = 12, FFN = 1536;

    /** Forward FLOPs, for GFLOP/s = FLOPS / time (forward+backward = 3x). */
    public static final double FORWARD_FLOPS = 2.0 * B * S * (4.0 * D * D + 2.0 * D * FFN) + 4.0 * B * S * S * D;

    @Param({"1", "2"})
    public int threads;

    /** fused: the attention primitive (Ops.attention, blockwise on the CPU); composed: matmul, softmax, matmul. */
    @Param({"fused", "composed"})
    public String attention;

    BertModel layer;
    Tensor x;

    @Setup(Level.Trial)
    public void setup() {
        CpuPool.setThreads(threads);
        if (!attention.equals("fused") && !attention.equals("composed")) throw new IllegalArgumentException("attention must be fused or composed, got " + attention);
        dev.orcaj.nn.Attention.setFused(attention.equals("fused"));
        BertConfig cfg = new BertConfig("bert", 8, D, 1, HEADS, FFN, "gelu", 512, 2, 1e-12, 0);
        layer = new BertModel(cfg, false, 1);
        x = Tensor.randn(DType.F32, new SplittableRandom(2), 1, B, S, D);
    }

    @Benchmark
    public Tensor forward() {
        return dev.orcaj.autograd.Autograd.noGrad(() -> layer.forwardEmbeds(x, null));
    }

    @Benchmark
    public Tensor forwardBackward() {
        Tensor y = layer.forwardEmbeds(x, null);
        y.mean().backward();
        layer.zeroGrad();
        return y;
    }
}
