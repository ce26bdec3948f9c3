package dev.orcaj.cli;

import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.baselines.Reference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded default job ({@code orca} with no arguments). Whether its trained model beats the reference baselines
 * takes minutes of training to know: bench/default-run-vs-baselines.sh checks that; here, that the job parses, needs no
 * files, and is a task a linear map does not solve (so beating the linear baseline means something).
 */
class DefaultJobTest {
    @Test
    void parsesAsARunOnGeneratedData() {
        CommandLine cl = new CommandLine(new OrcaCli());
        var parsed = cl.parseArgs(OrcaCli.DEFAULT_JOB.toArray(String[]::new));
        assertEquals("run", parsed.subcommand().commandSpec().name());
        String data = parsed.subcommand().matchedOptionValue("--data", "");
        assertTrue(data.startsWith("pde:"), "generated in-process, no ../shared needed: " + data);
    }

    @Test
    void itsTaskIsNotSolvedByALinearMap() throws Exception {
        String data = OrcaCli.DEFAULT_JOB.get(OrcaCli.DEFAULT_JOB.indexOf("--data") + 1);
        var t = TaskLoader.load(data, 0.2, 0);
        Reference r = Reference.compute(t.spec(), t.train(), t.val(), t.test(), ModelSelection.defaults(t.spec(), false), 0);
        double linear = r.linear().test().get("relative_l2"), trivial = r.trivial().test().get("relative_l2");
        assertTrue(linear > 0.2 && linear < trivial / 2, "the linear map leaves room (" + linear + ") and is far better than the mean field (" + trivial + ")");
    }
}
