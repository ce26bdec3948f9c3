package dev.orcaj.models;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.io.BertConfig;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.models.swin.SwinModel;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published body sizes (roberta-base 125M, swin-base 88M parameters), random weights: one forward on batch 2, a
 * backward and a hand-written SGD step, inside the test JVM's 6 GB heap. Tagged "scale" (slow on the reference
 * backend, so left out of the default run; run with -Dtest.excludedGroups=none -Dtest=ScaleTest).
 */
@Tag("scale")
class ScaleTest {

    @BeforeAll
    static void heapIsCapped() {
        assertTrue(Runtime.getRuntime().maxMemory() <= 6L * 1024 * 1024 * 1024 + (64 << 20), "run with -Xmx6g (surefire argLine)");
    }

    /** p -= lr * grad for every trainable parameter; returns how many changed. */
    static int sgdStep(Module m, double lr) {
        int updated = 0;
        for (Parameter p : m.trainableParameters()) {
            Tensor g = p.get().grad();
            if (g == null) continue;
            p.set(Autograd.noGrad(() -> p.get().detach().sub(g.mul(lr))));
            updated++;
        }
        return updated;
    }

    static long usedMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    @Test
    void robertaBaseForwardBackwardStep() {
        long t0 = System.nanoTime();
        BertModel m = new BertModel(BertConfig.robertaBase(), true, 1);
        assertEquals(124_645_632L, m.parameterCount()); // HF RobertaModel (with pooler) has 124,645,632
        int b = 2, s = 16;
        int[] ids = new SplittableRandom(2).ints(b * s, 3, 50265).toArray();
        Tensor before = m.forward(ids, null, null, b, s).poolerOutput().square().mean();
        long t1 = System.nanoTime();
        before.backward();
        long t2 = System.nanoTime();
        int updated = sgdStep(m, 1e-2);
        double after = Autograd.noGrad(() -> m.forward(ids, null, null, b, s).poolerOutput().square().mean().item());
        System.out.printf("roberta-base: forward %.1fs, backward %.1fs, used heap %d MB, loss %.5f -> %.5f%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, usedMb(), before.item(), after);
        assertEquals(m.trainableParameters().size(), updated, "every parameter got a gradient");
        assertTrue(after < before.item(), "one SGD step on the loss lowers it");
    }

    @Test
    void swinBaseForwardBackwardStep() {
        long t0 = System.nanoTime();
        SwinModel m = new SwinModel(SwinConfig.swinBasePatch4Window7_224(), 1);
        // by hand: patch conv + norm 6,528; a block of width C, h heads: 12C^2 + 13C + 169h; merging of width C: 8C^2 + 8C;
        // final norm 2,048; depths 2, 2, 18, 2 at C = 128, 256, 512, 1024
        assertEquals(86_743_224L, m.parameterCount());
        Tensor pixels = Tensor.randn(DType.F32, new SplittableRandom(3), 1, 2, 3, 224, 224);
        Tensor out = m.forward(pixels).poolerOutput();
        assertEquals(1024, out.shape(1));
        Tensor loss = out.square().mean();
        long t1 = System.nanoTime();
        loss.backward();
        long t2 = System.nanoTime();
        int updated = sgdStep(m, 1e-2);
        System.out.printf("swin-base: forward %.1fs, backward %.1fs, used heap %d MB%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, usedMb());
        assertEquals(m.trainableParameters().size(), updated, "every parameter got a gradient");
    }
}
