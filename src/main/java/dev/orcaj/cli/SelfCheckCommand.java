package dev.orcaj.cli;

import picocli.CommandLine.Command;

/** Engine self-check: prints the runtime set-up. Extended with op checks and a micro-benchmark by the engine. */
@Command(name = "selfcheck", mixinStandardHelpOptions = true, description = "Engine self-check and micro-benchmark.")
public final class SelfCheckCommand implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("ORCA-J engine self-check");
        System.out.println("  java " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        System.out.println("  vector module: " + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        return 0;
    }
}
