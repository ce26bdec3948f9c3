package dev.orcaj.models.bert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.models.StateDicts;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.orcaj.models.Fixtures.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint loading: prefixes, one-line errors for missing/mis-shaped tensors and mismatched configs, no partial loads. */
class BertLoadingTest {
    final Path dir = weights("tiny-roberta");
    final BertConfig config = (BertConfig) HfConfig.read(dir.resolve("config.json"));
    final Map<String, NdArray> state = SafetensorsCheckpoint.open(dir.resolve("model.safetensors")).tensors();

    BertLoadingTest() throws IOException {}

    BertConfig withIntermediate(int size) {
        return new BertConfig("roberta", 1000, 64, 2, 4, size, "gelu", 66, 1, 1e-5, 1);
    }

    @Test
    void prefixedBodyWithHeadLoadsTheBody() {
        Map<String, NdArray> prefixed = new LinkedHashMap<>();
        state.forEach((n, a) -> prefixed.put("roberta." + n, a));
        prefixed.put("classifier.dense.weight", NdArray.ofFloats(new float[4], 2, 2));
        BertModel m = BertModel.fromStateDict(config, prefixed, "prefixed");
        assertArrayEquals(state.get("encoder.layer.1.output.dense.weight").toFloats(), m.layers.get(1).output.dense.weight.get().toFloatArray());
    }

    @Test
    void wrongShapeNamesTensorAndBothShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> BertModel.fromStateDict(withIntermediate(96), state, "ckpt"));
        assertEquals("ckpt: tensor 'encoder.layer.0.intermediate.dense.bias': expected shape [96], found [128]", e.getMessage());
    }

    @Test
    void missingTensorIsNamed() {
        Map<String, NdArray> partial = new LinkedHashMap<>(state);
        partial.remove("encoder.layer.1.attention.self.value.bias");
        var e = assertThrows(IllegalArgumentException.class, () -> BertModel.fromStateDict(config, partial, "ckpt"));
        assertTrue(e.getMessage().startsWith("ckpt: tensor 'encoder.layer.1.attention.self.value.bias' [64] is missing"), e.getMessage());
    }

    @Test
    void configWithFewerLayersThanWeightsIsRejected() {
        BertConfig oneLayer = new BertConfig("roberta", 1000, 64, 1, 4, 128, "gelu", 66, 1, 1e-5, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> BertModel.fromStateDict(oneLayer, state, "ckpt"));
        assertTrue(e.getMessage().contains("unexpected tensor 'encoder.layer.1.") && e.getMessage().contains("config match"), e.getMessage());
    }

    @Test
    void unsupportedActivationIsRejected() {
        BertConfig swish = new BertConfig("bert", 10, 8, 1, 2, 8, "swish", 8, 2, 1e-12, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> new BertModel(swish, false, 1));
        assertTrue(e.getMessage().contains("hidden_act 'swish'"), e.getMessage());
    }

    @Test
    void failedLoadLeavesModelUntouched() {
        BertModel m = new BertModel(config, true, 3);
        float[] before = m.embeddings.wordEmbeddings.weight.get().toFloatArray();
        Map<String, NdArray> bad = new LinkedHashMap<>(state);
        bad.put("pooler.dense.bias", NdArray.ofFloats(new float[3], 3)); // last in name order: everything else would load first
        assertThrows(IllegalArgumentException.class, () -> StateDicts.load(m, bad, "bad"));
        assertArrayEquals(before, m.embeddings.wordEmbeddings.weight.get().toFloatArray());
    }

    @Test
    void sequenceLongerThanPositionTableIsRejectedClearly() {
        BertModel m = BertModel.fromStateDict(config, state, "ckpt");
        assertEquals(64, m.sequenceLimit()); // 66 positions, RoBERTa starts at pad + 1 = 2
        var e = assertThrows(IllegalArgumentException.class, () -> m.forwardInputsEmbeds(Tensor.zeros(1, 65, 64), null));
        assertTrue(e.getMessage().contains("max_position_embeddings 66"), e.getMessage());
    }
}
