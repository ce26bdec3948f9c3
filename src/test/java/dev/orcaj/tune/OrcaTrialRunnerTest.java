package dev.orcaj.tune;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.orca.Experiment;
import dev.orcaj.orca.Objective;
import dev.orcaj.orca.OptimizerKind;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TinyTask;
import dev.orcaj.orca.TrainConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A trial promoted through its rungs (1 epoch, then on to 2, then to the whole R = 3, each rung continuing from the
 * trial's state) ends exactly where one uninterrupted 3-epoch trial ends, and each rung's score is the best
 * validation score of the epochs so far.
 */
class OrcaTrialRunnerTest {
    static final ArrayDataset TRAIN = TinyTask.data(32, 1), VAL = TinyTask.data(8, 2), TEST = TinyTask.data(8, 3);

    @TempDir
    Path tmp;

    static Experiment experiment(OrcaRun.Method method) {
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 1e-5, 0.9, 3, 8, 1, 1.0, 1, 3, false, 0.1, false, 0, 5);
        var settings = new Experiment.Settings(List.of(method), 5, 1, Objective.OTDD, 2, 16, 0, false, false, cfg);
        var task = new TaskLoader.LoadedTask(TinyTask.SPEC, TRAIN, VAL, TEST, false, "tiny");
        return new Experiment(task, "tiny", TinyTask.body(), null, settings).withSource(TinyTask.source());
    }

    static TrialRung rung(int k, int epochs, Path dir) {
        return new TrialRung("s", "t000", k, epochs, 3, Map.of(), Map.of(), dir.toString());
    }

    @ParameterizedTest
    @EnumSource(value = OrcaRun.Method.class, names = {"ORCA", "FINETUNE"})
    void rungsContinueTheTrialAndEndAsOneUninterruptedTrial(OrcaRun.Method method) throws Exception {
        Experiment.TrialResult whole = experiment(method).withLog(null).trial(new Experiment.Trial(method, 5, experiment(method).settings().hyperparameters(), 3, 3, tmp.resolve("whole")));
        TrialRunner runner = new OrcaTrialRunner(flags -> experiment(method), null);
        Path dir = tmp.resolve(method.name());
        RungResult r0 = runner.run(rung(0, 1, dir));
        assertEquals(whole.outcome().refine().epochs().get(0).validation(), r0.validation());
        RungResult r1 = runner.run(rung(1, 2, dir));
        RungResult r2 = runner.run(rung(2, 3, dir));
        assertEquals(whole.validation(), r2.validation(), "the promoted trial ends exactly as the uninterrupted one");
        assertEquals(whole.score(), r2.score());
        var logs = whole.outcome().refine().epochs();
        double best2 = Math.max(logs.get(0).validation().get("accuracy"), logs.get(1).validation().get("accuracy"));
        assertEquals(best2, r1.score(), "rung 1's score is the best validation accuracy of epochs 1-2");
        assertEquals(2, r1.epochs());
        assertTrue(r2.score() >= r1.score() && r1.score() >= r0.score(), "best-so-far scores never fall");
        // a rung asked again (the search was killed before recording it) trains nothing and answers the same
        assertEquals(r2.validation(), runner.run(rung(2, 3, dir)).validation());
        assertThrows(IllegalArgumentException.class, () -> runner.run(rung(0, 1, dir)), "a trial past the rung's budget is refused");
    }
}
