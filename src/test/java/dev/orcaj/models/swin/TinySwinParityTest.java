package dev.orcaj.models.swin;

import dev.orcaj.io.HfConfig;
import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.BodyOutput;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static dev.orcaj.models.Fixtures.assertClose;
import static dev.orcaj.models.Fixtures.tensor;
import static dev.orcaj.models.Fixtures.weights;

/**
 * tiny-swin (8x8 grid, one shifted block, merge, window = grid in stage 2) and tiny-swin-64 (16x16, shifted windows
 * with masks in two stages, two mergings) against the HF SwinModel port; 1e-4 max abs.
 */
class TinySwinParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-swin", "tiny-swin-64"})
    void matchesReference(String name) throws IOException {
        Path dir = weights(name);
        SwinConfig config = (SwinConfig) HfConfig.read(dir.resolve("config.json"));
        SwinModel m = SwinModel.fromStateDict(config, SafetensorsCheckpoint.open(dir.resolve("model.safetensors")).tensors(), name);
        m.train(false);
        BodyOutput out = m.forward(tensor(dir.resolve("pixel_values.npy")));
        assertClose(out.lastHiddenState(), tensor(dir.resolve("last_hidden_state.npy")), 1e-4, name + " last_hidden_state");
        assertClose(out.poolerOutput(), tensor(dir.resolve("pooler_output.npy")), 1e-4, name + " pooler_output");
        // ORCA's entry: the embedder's tokens replace swin.embeddings (here the pretrained embeddings play the embedder)
        Tensor tokens = m.embeddings.forward(tensor(dir.resolve("pixel_values.npy")));
        assertClose(m.forwardEmbeds(tokens, null), tensor(dir.resolve("last_hidden_state.npy")), 1e-4, name + " forwardEmbeds");
    }
}
