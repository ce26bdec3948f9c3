package dev.orcaj.cli;

import dev.orcaj.orca.OptimizerKind;
import picocli.CommandLine.Option;

/** The optimizer of both training stages (stage 2 multiplies the learning rate by 10 when it is <= 1e-3). */
public final class OptimizerOptions {
    @Option(names = "--optimizer", defaultValue = "adamw", description = "sgd, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate of stage 3 (default: ${DEFAULT-VALUE}); stage 2 uses x10 when <= 1e-3.")
    double lr;
    @Option(names = "--weight-decay", defaultValue = "1e-5", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    /** Every optimizer flag in its range, each error naming the flag. */
    void check() {
        optimizer();
        FlagChecks.positive("--lr", lr);
        FlagChecks.atLeast("--weight-decay", weightDecay, 0.0);
        FlagChecks.fraction("--momentum", momentum);
    }

    OptimizerKind optimizer() { return OptimizerKind.parse("--optimizer", optimizer); }
}
