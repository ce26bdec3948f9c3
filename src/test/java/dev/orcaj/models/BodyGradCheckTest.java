package dev.orcaj.models;

import dev.orcaj.autograd.GradCheck;
import dev.orcaj.io.BertConfig;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.models.swin.SwinModel;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Float64 finite-difference gradient checks through tiny random bodies (every composite op of the forward). */
class BodyGradCheckTest {

    @Test
    void robertaInputsEmbedsAndEncoderEntry() {
        BertConfig c = new BertConfig("roberta", 11, 8, 2, 2, 12, "gelu", 9, 1, 1e-5, 1);
        BertModel m = new BertModel(c, true, 7);
        m.to(DType.F64);
        m.train(false);
        Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 0}, 2, 4);
        Tensor x = GradCheck.rand(3, 2, 4, 8);
        GradCheck.check("roberta inputs_embeds", t -> m.forwardInputsEmbeds(t[0], mask).poolerOutput(), x,
                m.embeddings.positionEmbeddings.weight.get(), m.layers.get(0).selfAttention.key.weight.get(),
                m.layers.get(1).intermediate.bias.get(), m.pooler.weight.get());
        GradCheck.check("roberta encoder (ORCA entry)", t -> m.forwardEmbeds(t[0], mask), x,
                m.layers.get(1).attentionOutput.layerNorm.weight.get(), m.layers.get(0).output.dense.weight.get());
    }

    @Test
    void swinWithPaddingShiftMasksAndOddMerge() {
        // 10x10 image, patch 2 -> 5x5 grid; window 2: padded to 6x6, odd block shifted by 1 with masks;
        // merge pads 5 -> 6 -> 3x3; stage 2 pads 3 -> 4 and shifts again.
        SwinConfig c = new SwinConfig(10, 2, 2, 4, new int[] {2, 2}, new int[] {1, 2}, 2, 2.0, 1e-5, "gelu");
        SwinModel m = new SwinModel(c, 5);
        m.to(DType.F64);
        m.train(false);
        Tensor pixels = GradCheck.rand(4, 1, 2, 10, 10);
        GradCheck.check("swin", t -> m.forward(t[0]).poolerOutput(), pixels,
                m.embeddings.projection.weight.get(),
                m.stages.get(0).blocks.get(1).attention.relativePositionBiasTable.get(),
                m.stages.get(0).downsample.reduction.weight.get(),
                m.stages.get(1).blocks.get(1).attention.query.weight.get(), m.layernorm.bias.get());
    }
}
