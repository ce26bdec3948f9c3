package dev.orcaj.cli;

import dev.orcaj.tune.OrcaTrialRunner;
import dev.orcaj.tune.TrialProcess;

/** Main class of the child JVM that runs one search rung ({@link dev.orcaj.tune.ChildJvmTrialRunner}) with the real engine. */
public final class TrialMain {
    private TrialMain() {}

    public static void main(String[] args) {
        System.exit(TrialProcess.serve(args, new OrcaTrialRunner(RunCommand::experimentOf, System.out)));
    }
}
