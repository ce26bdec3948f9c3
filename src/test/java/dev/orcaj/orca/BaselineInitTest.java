package dev.orcaj.orca;

import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fine-tuning baseline starts its embedder cold as the official code does (embedder_epochs = 0: LayerNorm (1, 0),
 * a freshly drawn Swin patch conv), {@code --warm-init} gives ORCA's warm start (the appendix ablation), and ORCA is
 * always warm. Built with the same seed, warm and cold models must differ in exactly those parameters.
 */
class BaselineInitTest {
    static final Path DATA = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data");

    static OrcaModel build(TaskSpec task, Body body, OrcaRun.Method method, boolean warmInit) {
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 1, 4, 1, 0, 0, 1, false, 0, false, 0, 9);
        return OrcaRun.build(task, body, new OrcaRun.Settings(method, Objective.OTDD, 0, 0, 0, false, cfg, warmInit), new Progress(System.out));
    }

    /** The tiny random BERT with an embedding LayerNorm that is not (1, 0), as a pretrained one's is not. */
    static Body pretrainedLike() {
        Body b = TinyTask.body().get();
        int d = b.inputDim();
        b.embeddingLayerNorm().weight.set(Tensor.full(dev.orcaj.tensor.DType.F32, 0.7, d));
        b.embeddingLayerNorm().bias.set(Tensor.full(dev.orcaj.tensor.DType.F32, 0.1, d));
        return b;
    }

    /** Names of the parameters whose values differ between the two models. */
    static Set<String> differing(OrcaModel a, OrcaModel b) {
        Map<String, Tensor> sa = a.stateDict(), sb = b.stateDict();
        assertEquals(sa.keySet(), sb.keySet());
        Set<String> out = new TreeSet<>();
        sa.forEach((n, t) -> { if (!Arrays.equals(t.toFloatArray(), sb.get(n).toFloatArray())) out.add(n); });
        return out;
    }

    @Test
    void textBodyColdBaselineResetsOnlyTheEmbedderLayerNorm() {
        TaskSpec task = TinyTask.SPEC;
        OrcaModel cold = build(task, pretrainedLike(), OrcaRun.Method.FINETUNE, false);
        OrcaModel warm = build(task, pretrainedLike(), OrcaRun.Method.FINETUNE, true);
        OrcaModel orca = build(task, pretrainedLike(), OrcaRun.Method.ORCA, false);
        assertEquals(Set.of("embedder.norm.weight", "embedder.norm.bias"), differing(cold, warm), "the 1D conv is Xavier and the positions are copied either way");
        assertEquals(Set.of(), differing(warm, orca), "warm init is ORCA's initialization");
        assertTrue(all(cold.embedder.norm.weight.get(), 1));
        assertTrue(all(cold.embedder.norm.bias.get(), 0));
        assertArrayEquals(warm.body.embeddingLayerNorm().weight.get().toFloatArray(), warm.embedder.norm.weight.get().toFloatArray());
        assertFalse(all(warm.embedder.norm.weight.get(), 1), "the tiny body's LayerNorm is not the identity, so the test can tell");
    }

    @Test
    void swinColdBaselineAlsoRedrawsThePatchConv() throws Exception {
        TaskSpec task = new TaskSpec("img", new int[] {2, 16, 16}, TaskSpec.OutputKind.CLASSES, 3);
        Path tinySwin = DATA.resolve("weights/tiny-swin");
        OrcaModel cold = build(task, Bodies.load(tinySwin), OrcaRun.Method.FINETUNE, false);
        OrcaModel warm = build(task, Bodies.load(tinySwin), OrcaRun.Method.FINETUNE, true);
        assertEquals(Set.of("embedder.norm.weight", "embedder.norm.bias", "embedder.weight", "embedder.bias"), differing(cold, warm));
        assertTrue(all(cold.embedder.bias.get(), 0), "fresh conv bias 0");
        double sd = std(cold.embedder.weight.get().toFloatArray());
        assertEquals(0.02, sd, 0.003, "fresh conv drawn with std 0.02 (" + cold.embedder.weight.get().numel() + " values)");
    }

    static boolean all(Tensor t, double value) { return Arrays.stream(t.toDoubleArray()).allMatch(v -> v == value); }

    static double std(float[] v) {
        double m = 0, s = 0;
        for (float f : v) m += f;
        m /= v.length;
        for (float f : v) s += (f - m) * (f - m);
        return Math.sqrt(s / v.length);
    }
}
