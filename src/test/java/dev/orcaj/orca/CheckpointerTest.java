package dev.orcaj.orca;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When stage 3 saves: a run after every epoch but the last (its model follows), a search trial after its last only. */
class CheckpointerTest {
    @Test
    void aRunSavesAfterEveryEpochButTheLastAndATrialAfterItsLastOnly() {
        Checkpointer run = new Checkpointer(Path.of("c.safetensors"), Path.of("m.safetensors"), 0, Map.of());
        assertTrue(run.savesAfterEpoch(false));
        assertFalse(run.savesAfterEpoch(true), "the final model is written instead");
        Checkpointer trial = Checkpointer.continuable(Path.of("trial.safetensors"), Map.of());
        assertFalse(trial.savesAfterEpoch(false), "a trial cut off mid-rung starts again from its previous rung's state");
        assertTrue(trial.savesAfterEpoch(true), "the state the next rung continues");
        assertFalse(Checkpointer.NONE.savesAfterEpoch(false) || Checkpointer.NONE.savesAfterEpoch(true));
    }
}
