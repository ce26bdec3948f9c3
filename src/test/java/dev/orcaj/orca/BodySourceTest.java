package dev.orcaj.orca;

import dev.orcaj.models.Body;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link BodySource#scratchBodies}: the scratch baseline's body without reading the pretrained weights. */
class BodySourceTest {

    @Test
    void scratchBodyWithoutTheWeightsIsBitwiseAReinitializedPretrainedBody() throws Exception {
        BodySource minilm = BodySource.parse("minilm");
        assertNotNull(minilm.scratchBodies());
        Body loaded = minilm.load(), unread = minilm.scratchBodies().get();
        loaded.reinitialize(3);
        unread.reinitialize(3);
        Map<String, dev.orcaj.nn.Parameter> a = loaded.module().namedParameters(), b = unread.module().namedParameters();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, p) -> {
            assertArrayEquals(p.get().shape(), b.get(name).get().shape(), name);
            assertArrayEquals(p.get().toFloatArray(), b.get(name).get().toFloatArray(), name);
            assertEquals(p.trainable(), b.get(name).trainable(), name);
        });
        assertEquals(loaded.config().toJson(), unread.config().toJson());
        // dropout generators too: a training-mode forward with dropout on is the same
        Tensor embeds = Tensor.randn(DType.F32, new SplittableRandom(1), 1, 2, 5, loaded.inputDim());
        float[] fa = trainForward(loaded, embeds), fb = trainForward(unread, embeds);
        assertArrayEquals(fa, fb);
    }

    @Test
    void aCheckpointBodyHasNoScratchShortcut() {
        assertNull(new BodySource.Checkpoint("x", java.nio.file.Path.of("x")).scratchBodies());
    }

    private static float[] trainForward(Body body, Tensor embeds) {
        body.setDropout(0.2, 0.2);
        body.module().train(true);
        return body.forwardInputsEmbeds(embeds, null).lastHiddenState().toFloatArray();
    }
}
