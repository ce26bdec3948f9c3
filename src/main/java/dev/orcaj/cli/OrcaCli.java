package dev.orcaj.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/** Top-level command: {@code orca [COMMAND]}; with no command it runs the embedded default job. */
@Command(name = "orca", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, version = "ORCA-J 0.1.0",
        description = {"ORCA cross-modal fine-tuning (align then refine) on the JVM.",
                "With no command: the embedded default job (orca run with its defaults).",
                "Add --verbose anywhere for stack traces on errors. Errors exit with code 2."},
        subcommands = {RunCommand.class, AlignCommand.class, FinetuneCommand.class, EvaluateCommand.class, PredictCommand.class,
                InfoCommand.class, SelfCheckCommand.class, ConvertCommand.class, FeaturesCommand.class, OtddCommand.class})
public final class OrcaCli implements java.util.concurrent.Callable<Integer> {
    /** Exit code of every error: bad usage, bad input files, failed runs. */
    public static final int ERROR = 2;

    @Override
    public Integer call() {
        return 0; // not reached: run(String[]) maps an empty command line to "run"
    }

    /**
     * No arguments = the embedded default job ({@code run} with its defaults). Errors print one line
     * {@code orca: <what, naming the file or flag>} on stderr and return {@value #ERROR}; {@code --verbose} anywhere adds the stack trace.
     */
    public static int run(String[] args) {
        List<String> argv = new ArrayList<>(List.of(args));
        boolean verbose = argv.removeIf("--verbose"::equals);
        if (argv.isEmpty()) argv.add("run");
        CommandLine cl = new CommandLine(new OrcaCli());
        cl.setOverwrittenOptionsAllowed(true); // a flag on the command line overrides the same key of --config FILE
        try {
            argv = ConfigFile.expand(argv);
        } catch (java.io.IOException | RuntimeException e) {
            cl.getErr().println("orca: " + describe(e));
            cl.getErr().flush();
            return ERROR;
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("orca: " + describe(ex));
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return ERROR;
        });
        cl.setParameterExceptionHandler((ex, badArgs) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("orca: " + ex.getMessage());
            err.println("Try 'orca " + ex.getCommandLine().getCommandName() + " --help'.");
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return ERROR;
        });
        try {
            return cl.execute(argv.toArray(String[]::new));
        } catch (OutOfMemoryError e) { // an Error passes picocli's exception handler
            cl.getErr().println("orca: " + describe(e));
            cl.getErr().flush();
            return ERROR;
        }
    }

    /** One line for an error: file-system exceptions name the file and the problem, others give their message. */
    static String describe(Throwable ex) {
        // new UncheckedIOException(cause) only repeats the cause: report the cause itself
        Throwable e = ex instanceof java.io.UncheckedIOException u && String.valueOf(u.getCause()).equals(u.getMessage()) ? u.getCause() : ex;
        String reason = e instanceof FileSystemException f && f.getReason() != null ? " (" + f.getReason() + ")" : "";
        return switch (e) {
            case NoSuchFileException f -> "file not found: " + f.getFile() + reason;
            case AccessDeniedException f -> "permission denied: " + f.getFile() + reason;
            case FileSystemException f -> "cannot access " + f.getFile() + reason;
            case OutOfMemoryError m -> "out of memory (" + m.getMessage() + ", heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB); give the JVM more heap, e.g. java -Xmx8g -jar orca.jar ...";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
