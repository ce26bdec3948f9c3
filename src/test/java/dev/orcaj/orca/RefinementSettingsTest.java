package dev.orcaj.orca;

import dev.orcaj.models.Bodies;
import dev.orcaj.models.swin.SwinModel;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Stage-3 settings of issue 12: the official LayerNorm-only (FPT) freezer, Swin dropout and drop path, --decay-epochs. */
class RefinementSettingsTest {
    static final Path TINY_SWIN = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data/weights/tiny-swin");

    static OrcaModel swinModel(TrainConfig cfg) throws Exception {
        TaskSpec task = new TaskSpec("img", new int[] {1, 16, 16}, TaskSpec.OutputKind.CLASSES, 2);
        return OrcaRun.build(task, Bodies.load(TINY_SWIN), new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 0, 0, false, cfg), new Progress(System.out));
    }

    static TrainConfig cfg(double dropout, double dropPath) {
        return new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 1, 4, 1, 0, 0, 1, true, dropout, false, 0, 1, null, dropPath);
    }

    static Set<String> trainableBody(OrcaModel m) {
        Set<String> out = new TreeSet<>();
        m.namedParameters().forEach((n, p) -> { if (p.trainable() && !p.isBuffer() && n.startsWith("body.")) out.add(n.substring(5)); });
        return out;
    }

    @Test
    void layerNormOnlyFreezesWhatTheOfficialFreezerFreezes() throws Exception {
        OrcaModel swin = swinModel(cfg(0, -1));
        RefineStage.selectTrainable(swin, true);
        Set<String> trainable = trainableBody(swin);
        assertTrue(trainable.contains("encoder.layers.0.blocks.0.layernorm_before.weight") && trainable.contains("layernorm.bias"), trainable.toString());
        assertFalse(trainable.contains("encoder.layers.0.downsample.norm.weight"), "patch-merging norm: 'layer' in its name, no 'layernorm': frozen as in the official code");
        assertTrue(trainable.stream().allMatch(n -> n.contains("layernorm")), "only LayerNorms of the body train: " + trainable);
        assertTrue(swin.embedder.weight.trainable() && swin.predictor.linear.weight.trainable(), "embedder and head train");

        OrcaModel bert = OrcaRun.build(TinyTask.SPEC, TinyTask.body().get(), new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 0, 0, false, cfg(0, -1)), new Progress(System.out));
        RefineStage.selectTrainable(bert, true);
        Set<String> bertTrainable = trainableBody(bert);
        assertEquals(8, bertTrainable.size(), "2 layers x 2 LayerNorms x (weight, bias): " + bertTrainable);
        assertTrue(bertTrainable.stream().allMatch(n -> n.contains("LayerNorm")), bertTrainable.toString());
    }

    @Test
    void swinTakesDropoutAndTheOfficialDropPathByDefault() throws Exception {
        Tensor x = Tensor.randn(dev.orcaj.tensor.DType.F32, new java.util.SplittableRandom(3), 1, 16, 1, 16, 16);
        OrcaModel none = swinModel(cfg(0, 0));
        none.train(true);
        assertArrayEquals(none.forward(x).toFloatArray(), none.forward(x).toFloatArray(), 0f, "no dropout, no drop path: training forward is deterministic");
        double[] rates = ((SwinModel) swinModel(cfg(0, -1)).body).dropPathRates();
        assertEquals(0.0, rates[0]);
        assertEquals(0.1, rates[rates.length - 1], 1e-12, "default: the official drop_path_rate 0.1, linear over the blocks");
        OrcaModel dropPath = swinModel(cfg(0, 0.5));
        dropPath.train(true);
        assertFalse(java.util.Arrays.equals(dropPath.forward(x).toFloatArray(), dropPath.forward(x).toFloatArray()), "drop path is active while training");
        dropPath.train(false);
        assertArrayEquals(dropPath.forward(x).toFloatArray(), none.forward(x).toFloatArray(), 1e-6f, "and off in evaluation");
        OrcaModel dropout = swinModel(cfg(0.3, 0));
        dropout.train(true);
        assertFalse(java.util.Arrays.equals(dropout.forward(x).toFloatArray(), dropout.forward(x).toFloatArray()), "--dropout reaches the Swin body");
        var e = assertThrows(IllegalArgumentException.class, () -> OrcaRun.build(TinyTask.SPEC, TinyTask.body().get(),
                new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 0, 0, false, cfg(0, 0.2)), new Progress(System.out)));
        assertTrue(e.getMessage().contains("--drop-path"), e.getMessage());
    }

    @Test
    void decayEpochsSetTheScheduleHorizon() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 10, 4, 1, 0, 0, 5, false, 0, false, 0, 1));
        assertTrue(e.getMessage().contains("--decay-epochs 5 is shorter than --epochs 10"), e.getMessage());
        assertEquals(25, new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 13, 4, 1, 0, 10, 25, false, 0, false, 0, 1).decayEpochs(), "DeepSEA: 13 epochs on a 25-epoch schedule");
    }
}
