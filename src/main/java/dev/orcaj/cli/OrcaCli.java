package dev.orcaj.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Top-level command: {@code orca [COMMAND]}; with no command it runs the embedded default job. */
@Command(name = "orca", mixinStandardHelpOptions = true, version = "ORCA-J 0.1.0",
        description = {"ORCA cross-modal fine-tuning (align then refine) on the JVM.",
                "With no command: the embedded default job (orca run with its defaults).",
                "Add --verbose anywhere for stack traces on errors."},
        subcommands = {RunCommand.class, SelfCheckCommand.class, ConvertCommand.class, FeaturesCommand.class, OtddCommand.class})
public final class OrcaCli implements java.util.concurrent.Callable<Integer> {

    @Override
    public Integer call() {
        return 0; // not reached: run(String[]) maps an empty command line to "run"
    }

    /** No arguments = the embedded default job ({@code run} with its defaults). {@code --verbose} anywhere adds stack traces to errors. */
    public static int run(String[] args) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(args));
        if (argv.remove("--verbose")) System.setProperty("orcaj.verbose", "true");
        if (argv.isEmpty()) argv.add("run");
        args = argv.toArray(String[]::new);
        CommandLine cl = new CommandLine(new OrcaCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("orca: " + ex.getMessage());
            if (Boolean.getBoolean("orcaj.verbose")) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            ex.getCommandLine().getErr().println("orca: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'orca " + ex.getCommandLine().getCommandName() + " --help'.");
            return 2;
        });
        return cl.execute(args);
    }
}
