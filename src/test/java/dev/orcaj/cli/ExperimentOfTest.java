package dev.orcaj.cli;

import dev.orcaj.orca.Experiment;
import dev.orcaj.orca.Objective;
import dev.orcaj.orca.OptimizerKind;
import dev.orcaj.orca.OrcaRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@link RunCommand#experimentOf}: run flags (as a search's TrialRung carries them) into an experiment, errors naming the flag. */
class ExperimentOfTest {
    @TempDir
    Path tmp;

    @Test
    void flagsBecomeTypedSettingsAndATrialRuns() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--data", Cli.tinyData(tmp, 40, 24));
        flags.put("--body", Cli.tinyBody(tmp).toString());
        flags.put("--methods", "finetune,scratch");
        flags.put("--epochs", "3");
        flags.put("--optimizer", "sgd");
        flags.put("--objective", "mmd");
        flags.put("--threads", "2");
        Experiment e = RunCommand.experimentOf(flags);
        Experiment.Settings s = e.settings();
        assertEquals(List.of(OrcaRun.Method.FINETUNE, OrcaRun.Method.SCRATCH), s.methods());
        assertEquals(OptimizerKind.SGD, s.train().optimizer());
        assertEquals(Objective.MMD, s.objective());
        assertEquals(3, s.train().epochs());
        assertEquals(3, s.train().decayEpochs(), "--decay-epochs 0 means --epochs");

        var h = new Experiment.Hyperparameters(OptimizerKind.ADAMW, 1e-3, 0, 8, 1.0, 0, 0);
        Experiment.TrialResult r = e.withLog(null).trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 0, h, 1, 3, tmp.resolve("trial")));
        assertTrue(Double.isFinite(r.score()) && r.score() >= 0 && r.score() <= 1, "accuracy of the best epoch: " + r.score());
        assertEquals(r.validation().get("accuracy"), r.score(), 0.0);

        flags.put("--optimizer", "rmsprop");
        var bad = assertThrows(IllegalArgumentException.class, () -> RunCommand.experimentOf(flags));
        assertEquals("--optimizer: expected sgd, adam, adamw, got 'rmsprop'", bad.getMessage());
        flags.put("--optimizer", "adam");
        flags.put("--objective", "wasserstein");
        bad = assertThrows(IllegalArgumentException.class, () -> RunCommand.experimentOf(flags));
        assertEquals("--objective: expected otdd, otdd-gaussian, mmd, euclidean, got 'wasserstein'", bad.getMessage());
        flags.remove("--objective");
        flags.put("--methods", "orca,plane");
        bad = assertThrows(IllegalArgumentException.class, () -> RunCommand.experimentOf(flags));
        assertEquals("--methods: expected a comma list of orca, finetune, scratch, got 'plane'", bad.getMessage());
        flags.put("--methods", "finetune,scratch,finetune");
        bad = assertThrows(IllegalArgumentException.class, () -> RunCommand.experimentOf(flags));
        assertTrue(bad.getMessage().contains("names a method twice"), bad.getMessage());
        flags.put("--methods", "finetune");
        flags.put("--no-such-flag", "1");
        bad = assertThrows(IllegalArgumentException.class, () -> RunCommand.experimentOf(flags));
        assertTrue(bad.getMessage().contains("unknown option '--no-such-flag'"), bad.getMessage());
    }
}
