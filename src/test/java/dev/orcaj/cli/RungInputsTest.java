package dev.orcaj.cli;

import dev.orcaj.tune.OrcaTrialRunner;
import dev.orcaj.tune.RungInputs;
import dev.orcaj.tune.RungResult;
import dev.orcaj.tune.TrialRung;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link RunCommand#rungExperimentOf} through {@link RungInputs}: the second rung in the same JVM (the next rung of the
 * trial, as a Spark executor that keeps its runner gets it) reads neither the task nor the body again, and the two
 * rungs compute bit for bit what rungs that read everything themselves ({@link RunCommand#experimentOf}) compute.
 */
class RungInputsTest {
    @TempDir
    Path tmp;

    @Test
    void theSecondRungInAJvmReadsNeitherTaskNorBodyAndScoresAsAnUncachedRung() throws Exception {
        Map<String, String> experiment = Map.of("--data", Cli.tinyData(tmp, 40, 24), "--body", Cli.tinyBody(tmp).toString(),
                "--methods", "finetune", "--epochs", "2", "--threads", "1");
        Map<String, String> config = Map.of("--lr", "1e-3", "--batch-size", "8");
        OrcaTrialRunner kept = new OrcaTrialRunner(RunCommand::rungExperimentOf, null);
        OrcaTrialRunner unkept = new OrcaTrialRunner(RunCommand::experimentOf, null);

        int tasks = RungInputs.taskReads(), bodies = RungInputs.bodyReads();
        RungResult keptFirst = kept.run(rung(experiment, config, 0, 1, tmp.resolve("kept")));
        assertEquals(tasks + 1, RungInputs.taskReads(), "the first rung reads the task (a new data path)");
        assertEquals(bodies + 1, RungInputs.bodyReads(), "the first rung reads the body");
        RungResult keptSecond = kept.run(rung(experiment, config, 1, 2, tmp.resolve("kept")));
        assertEquals(tasks + 1, RungInputs.taskReads(), "the second rung reuses the task");
        assertEquals(bodies + 1, RungInputs.bodyReads(), "the second rung reuses the body's weights");

        RungResult first = unkept.run(rung(experiment, config, 0, 1, tmp.resolve("unkept")));
        RungResult second = unkept.run(rung(experiment, config, 1, 2, tmp.resolve("unkept")));
        assertEquals(tasks + 1, RungInputs.taskReads(), "experimentOf does not use the rung cache");
        assertEquals(first.score(), keptFirst.score(), 0.0);
        assertEquals(first.validation(), keptFirst.validation());
        assertEquals(second.score(), keptSecond.score(), 0.0);
        assertEquals(second.validation(), keptSecond.validation());
    }

    private static TrialRung rung(Map<String, String> experiment, Map<String, String> config, int rung, int epochs, Path workDir) {
        return new TrialRung("s", "t00", rung, epochs, 2, experiment, config, workDir.toString());
    }
}
