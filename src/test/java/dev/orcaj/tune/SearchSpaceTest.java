package dev.orcaj.tune;

import dev.orcaj.orca.TaskSpec;
import dev.orcaj.orca.TinyTask;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The search space's text form, its errors, and a configuration's run flags. */
class SearchSpaceTest {
    @Test
    void textFormReadsBackAndNamedDimensionsReplaceThePaperValues() {
        SearchSpace paper = SearchSpace.paper();
        assertEquals(paper, SearchSpace.parse(paper.toString(), SearchSpace.paper()));
        assertEquals("target_seq_len=8,64,512;batch_size=4,16,64;clip=-1,1;dropout=0,0.05;optimizer=sgd,adam,adamw;lr=0.01,1e-3,1e-4,1e-5,1e-6;weight_decay=0,0.01,1e-3,1e-4,1e-5",
                paper.toString());
        assertEquals(3L * 3 * 2 * 2 * 3 * 5 * 5, paper.size());
        SearchSpace narrowed = SearchSpace.parse("lr=1e-3, 3e-4 ; batch_size=32", paper);
        assertEquals(List.of(1e-3, 3e-4), narrowed.lr());
        assertEquals(List.of(32), narrowed.batchSize());
        assertEquals(paper.optimizer(), narrowed.optimizer());
    }

    @Test
    void badSpacesNameTheDimension() {
        SearchSpace paper = SearchSpace.paper();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("learning_rate=1", paper)).getMessage().contains("name one of target_seq_len"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr=0", paper)).getMessage().startsWith("--space: search space lr: values must be > 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("optimizer=lamb", paper)).getMessage().contains("expected sgd, adam or adamw"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("batch_size=x", paper)).getMessage().startsWith("--space: not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("dropout=0,0", paper)).getMessage().contains("repeated value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchSpace.parse("lr=1e-3;lr=1e-4", paper)).getMessage().contains("given twice"));
    }

    @Test
    void aConfigurationRoundTripsThroughItsFlagsAndTurnsTheTargetLengthIntoAPatch() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            TrialConfig c = SearchSpace.paper().sample(rng);
            assertEquals(c, TrialConfig.ofFlags(c.flags()));
        }
        TrialConfig c = new TrialConfig(8, 16, -1, 0.05, "adamw", 1e-4, 0);
        var body = TinyTask.body().get(); // 16 positions
        assertEquals("3", c.runFlags(TinyTask.SPEC, body).get("--patch"), "24 inputs in at most 8 tokens: k = 3");
        assertFalse(c.runFlags(TinyTask.SPEC, body).containsKey(TrialConfig.TARGET_SEQ_LEN_FLAG));
        assertEquals(2, TrialConfig.patch(TinyTask.SPEC, body, 512), "the body's 16 positions bound the target: 24 / 2 = 12 tokens");
        assertEquals(4, TrialConfig.patch(new TaskSpec("img", new int[] {1, 8, 8}, TaskSpec.OutputKind.CLASSES, 2), body, 8),
                "a 2D task on a text body: 8 x 8 in at most 8 tokens needs k = 4 (k = 2 gives 16)");
        assertEquals("-1", c.flags().get("--clip"));
        assertEquals("1e-4", c.flags().get("--lr"));
    }
}
