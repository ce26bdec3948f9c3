package dev.orcaj.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Top-level command: {@code orca [COMMAND]}; with no command it runs the embedded default job. */
@Command(name = "orca", mixinStandardHelpOptions = true, version = "ORCA-J 0.1.0",
        description = "ORCA cross-modal fine-tuning (align then refine) on the JVM.%n"
                + "With no command: the embedded default job.",
        subcommands = {SelfCheckCommand.class, OtddCommand.class})
public final class OrcaCli implements java.util.concurrent.Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return new SelfCheckCommand().call();
    }

    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new OrcaCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("orca: " + ex.getMessage());
            if (Boolean.getBoolean("orcaj.verbose")) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        cl.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("orca: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'orca " + ex.getCommandLine().getCommandName() + " --help'.");
            return 2;
        });
        return cl.execute(args);
    }
}
