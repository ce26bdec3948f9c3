package dev.orcaj.bench;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.io.BertConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The all-MiniLM-L6-v2 body (BERT, 6 layers, hidden 384, 12 heads) on a batch of 16 x 64 tokens with padding:
 * forward only (eval, no tape) and forward + backward of a scalar loss through every parameter. Weights are random
 * with MiniLM's shapes (speed does not depend on their values; the benchmark jar leaves the ONNX out).
 * Run: {@code bench/run.sh MiniLmBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class MiniLmBench {
    static final int BATCH = 16, SEQ = 64;

    BertModel model;
    int[] ids, mask;

    @Setup(Level.Trial)
    public void setUp() {
        model = new BertModel(BertConfig.allMiniLmL6V2(), false, 1);
        model.train(false);
        SplittableRandom rng = new SplittableRandom(2);
        ids = new int[BATCH * SEQ];
        mask = new int[BATCH * SEQ];
        for (int r = 0; r < BATCH; r++) {
            int len = SEQ / 2 + rng.nextInt(SEQ / 2 + 1); // realistic padding: 32..64 real tokens
            for (int t = 0; t < SEQ; t++) {
                ids[r * SEQ + t] = t < len ? 1000 + rng.nextInt(29000) : 0;
                mask[r * SEQ + t] = t < len ? 1 : 0;
            }
        }
    }

    @Benchmark
    public Tensor forward() {
        return Autograd.noGrad(() -> model.forward(ids, mask, null, BATCH, SEQ).lastHiddenState());
    }

    @Benchmark
    public Tensor forwardBackward() {
        model.zeroGrad();
        Tensor loss = model.forward(ids, mask, null, BATCH, SEQ).lastHiddenState().mean();
        loss.backward();
        return model.embeddings.wordEmbeddings.weight.get().grad();
    }
}
