package dev.orcaj.tune;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.orca.AlignmentLoss;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TinyTask;
import dev.orcaj.orca.TrainConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A trial promoted through its rungs (1 epoch, then on to 2, then to the whole R = 3, each rung continuing from the
 * checkpoint of the one before) ends exactly where one uninterrupted 3-epoch run ends, and each rung's score is the
 * best validation score of the epochs so far.
 */
class OrcaTrialRunnerTest {
    static final ArrayDataset TRAIN = TinyTask.data(32, 1), VAL = TinyTask.data(8, 2), TEST = TinyTask.data(8, 3);

    @TempDir
    Path tmp;

    static OrcaRun.Settings settings(OrcaRun.Method method) {
        TrainConfig cfg = new TrainConfig("adamw", 1e-3, 1e-5, 0.9, 3, 8, 1, 1.0, 1, 3, false, 0.1, false, 0, 5);
        return new OrcaRun.Settings(method, "otdd", 2, 16, 0, false, cfg);
    }

    static TrialSetup setup(OrcaRun.Method method) {
        var task = new TaskLoader.LoadedTask(TinyTask.SPEC, TRAIN, VAL, TEST, false, "tiny");
        return new TrialSetup(task, TinyTask.body(), b -> TinyTask.source(), "otdd", settings(method), 0, Map.of("--method", method.name()));
    }

    static TrialRung rung(int k, int epochs, Path dir) {
        return new TrialRung("s", "t000", k, epochs, 3, Map.of(), Map.of(), dir.toString());
    }

    @ParameterizedTest
    @EnumSource(value = OrcaRun.Method.class, names = {"ORCA", "FINETUNE"})
    void rungsContinueFromTheCheckpointAndEndAsOneUninterruptedRun(OrcaRun.Method method) throws Exception {
        OrcaRun.Outcome whole = OrcaRun.run(TinyTask.SPEC, TRAIN, VAL, TEST, TinyTask.body(), () -> AlignmentLoss.create("otdd", TinyTask.source()),
                settings(method), Progress.SILENT);
        TrialRunner runner = new OrcaTrialRunner(flags -> setup(method), null);
        Path dir = tmp.resolve(method.name());
        RungResult r0 = runner.run(rung(0, 1, dir));
        assertTrue(Files.exists(dir.resolve(OrcaTrialRunner.CHECKPOINT)), "rung 0 leaves the checkpoint after epoch 1");
        assertEquals(whole.refine().epochs().get(0).validation(), r0.validation());
        RungResult r1 = runner.run(rung(1, 2, dir));
        RungResult r2 = runner.run(rung(2, 3, dir));
        assertEquals(whole.refine().validation(), r2.validation(), "the promoted trial ends exactly as the uninterrupted run");
        assertTrue(Files.exists(dir.resolve(OrcaTrialRunner.MODEL)));
        assertFalse(Files.exists(dir.resolve(OrcaTrialRunner.CHECKPOINT)), "the finished trial keeps its model, not a checkpoint");
        // the score is the best-validated epoch's so far (accuracy: higher is better)
        var logs = whole.refine().epochs();
        double best2 = Math.max(logs.get(0).validation().get("accuracy"), logs.get(1).validation().get("accuracy"));
        assertEquals(best2, r1.score());
        assertEquals(2, r1.epochs());
        assertTrue(r2.score() >= r1.score() && r1.score() >= r0.score(), "best-so-far scores never fall");
        // a rung asked again (the search was killed before recording it) answers from the files without training
        assertEquals(r2.validation(), runner.run(rung(2, 3, dir)).validation());
    }

    @ParameterizedTest
    @EnumSource(value = OrcaRun.Method.class, names = {"FINETUNE"})
    void aRungCutOffAfterItsCheckpointIsAnsweredFromIt(OrcaRun.Method method) throws Exception {
        TrialRunner runner = new OrcaTrialRunner(flags -> setup(method), null);
        Path dir = tmp.resolve("cut");
        RungResult r0 = runner.run(rung(0, 1, dir));
        assertEquals(r0.validation(), runner.run(rung(0, 1, dir)).validation());
        assertThrows(IllegalStateException.class, () -> runner.run(rung(0, 0, dir)), "a checkpoint past the rung is refused");
    }
}
