package dev.orcaj.models.bert;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.models.BodyOutput;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static dev.orcaj.models.Fixtures.assertClose;
import static dev.orcaj.models.Fixtures.npy;
import static dev.orcaj.models.Fixtures.tensor;
import static dev.orcaj.models.Fixtures.weights;

/**
 * tiny-roberta fixtures (HF RobertaModel port, fp32): token-id and inputs_embeds paths, fp32 and bf16 weights.
 * Tolerance 1e-4 max abs (values are O(1); fp32 accumulation-order differences are ~1e-6).
 */
class TinyRobertaParityTest {
    static final double TOL = 1e-4;
    final Path dir = weights("tiny-roberta");

    BertModel load(String file) throws IOException {
        BertConfig config = (BertConfig) HfConfig.read(dir.resolve("config.json"));
        BertModel m = BertModel.fromStateDict(config, SafetensorsCheckpoint.open(dir.resolve(file)).tensors(), file);
        m.train(false);
        return m;
    }

    int[] ids() { return npy(dir.resolve("input_ids.npy")).toInts(); }

    int[] mask() { return npy(dir.resolve("attention_mask.npy")).toInts(); }

    @Test
    void tokenIdsMatchReference() throws IOException {
        BertModel m = load("model.safetensors");
        assertClose(m.embeddings.forward(ids(), null, 2, 12), tensor(dir.resolve("embedding_output.npy")), TOL, "embedding_output");
        BodyOutput out = m.forward(ids(), mask(), null, 2, 12);
        assertClose(out.lastHiddenState(), tensor(dir.resolve("last_hidden_state.npy")), TOL, "last_hidden_state");
        assertClose(out.poolerOutput(), tensor(dir.resolve("pooler_output.npy")), TOL, "pooler_output");
    }

    @Test
    void inputsEmbedsMatchReference() throws IOException {
        BertModel m = load("model.safetensors");
        Tensor mask = tensor(dir.resolve("inputs_embeds_attention_mask.npy"));
        BodyOutput out = m.forwardInputsEmbeds(tensor(dir.resolve("inputs_embeds.npy")), mask);
        assertClose(out.lastHiddenState(), tensor(dir.resolve("inputs_embeds_last_hidden_state.npy")), TOL, "inputs_embeds last_hidden_state");
        assertClose(out.poolerOutput(), tensor(dir.resolve("inputs_embeds_pooler_output.npy")), TOL, "inputs_embeds pooler_output");
    }

    @Test
    void bf16WeightsMatchBf16Reference() throws IOException {
        BertModel m = load("model.bf16.safetensors");
        BodyOutput out = m.forward(ids(), mask(), null, 2, 12);
        assertClose(out.lastHiddenState(), tensor(dir.resolve("bf16_last_hidden_state.npy")), TOL, "bf16 last_hidden_state");
        assertClose(out.poolerOutput(), tensor(dir.resolve("bf16_pooler_output.npy")), TOL, "bf16 pooler_output");
        Tensor mask = tensor(dir.resolve("inputs_embeds_attention_mask.npy"));
        Tensor embedsOut = m.forwardInputsEmbeds(tensor(dir.resolve("inputs_embeds.npy")), mask).lastHiddenState();
        assertClose(embedsOut, tensor(dir.resolve("bf16_inputs_embeds_last_hidden_state.npy")), TOL, "bf16 inputs_embeds last_hidden_state");
    }
}
