package dev.orcaj.spark;

import dev.orcaj.cli.RunCommand;
import dev.orcaj.tune.OrcaTrialRunner;
import dev.orcaj.tune.TrialRunner;

/**
 * The real engine on executors: the search's {@link OrcaTrialRunner} over {@code orca run} flags, the same runner a
 * local search's child JVMs use, so a rung's result does not depend on where it ran. The task and body come from the
 * paths in the rung's flags (a path every worker can reach), read once per executor JVM and kept for its later rungs
 * ({@link RunCommand#rungExperimentOf}, {@link dev.orcaj.tune.RungInputs}); the rung continues the trial from its
 * state in the rung's work directory.
 */
public record OrcaRunnerFactory() implements TrialRunnerFactory {
    @Override
    public TrialRunner create() { return new OrcaTrialRunner(RunCommand::rungExperimentOf, null); }
}
