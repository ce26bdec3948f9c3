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
                "With no command: the embedded default job (orca run --data pde:burgers:64:1000 --patch 4 --epochs 30 --lr 3e-4 --methods orca).",
                "Add --verbose anywhere for stack traces on errors. Errors exit with code 2."},
        subcommands = {RunCommand.class, AlignCommand.class, FinetuneCommand.class, EvaluateCommand.class, PredictCommand.class,
                InfoCommand.class, SelfCheckCommand.class, ConvertCommand.class, FeaturesCommand.class, OtddCommand.class,
                TuneCommand.class, DashboardCommand.class, SuiteCommand.class})
public final class OrcaCli implements java.util.concurrent.Callable<Integer> {
    /** Exit code of every error: bad usage, bad input files, failed runs. */
    public static final int ERROR = 2;

    /**
     * The embedded default job ({@code orca} with no arguments): ORCA on a generated 1D Burgers task (nonlinear: a
     * linear map scores relative L2 0.284 on its test split, the training-mean field 1.14), kernel 4 (16 tokens) and
     * 30 epochs, a budget with which ORCA beats both reference baselines by 8 % (measured, seed 0: 0.261, 5 min 46 s on 2
     * idle cores; bench/default-run-vs-baselines.sh checks it; fine-tuning, 0.286 with the earlier per-point
     * normalizer, is left out to halve the time). On advection, the earlier default, a linear map is near-exact (0.0008), which no trained model beats.
     */
    static final List<String> DEFAULT_JOB = List.of("run", "--data", "pde:burgers:64:1000", "--patch", "4", "--epochs", "30", "--lr", "3e-4", "--methods", "orca");

    @Override
    public Integer call() {
        return 0; // not reached: run(String[]) maps an empty command line to DEFAULT_JOB
    }

    /**
     * No arguments = the embedded default job ({@link #DEFAULT_JOB}). Errors print one line
     * {@code orca: <what, naming the file or flag>} on stderr and return {@value #ERROR}; {@code --verbose} anywhere adds the stack trace.
     */
    public static int run(String[] args) {
        List<String> argv = new ArrayList<>(List.of(args));
        boolean verbose = argv.removeIf("--verbose"::equals);
        if (argv.isEmpty()) argv.addAll(DEFAULT_JOB);
        CommandLine cl = new CommandLine(new OrcaCli());
        cl.setOverwrittenOptionsAllowed(true); // a flag on the command line overrides the same key of --config FILE
        try {
            argv = ConfigFile.expand(argv);
        } catch (java.io.IOException | RuntimeException e) {
            cl.getErr().println("orca: " + describe(e));
            cl.getErr().flush();
            return ERROR;
        }
        if (!argv.getFirst().startsWith("-") && !cl.getSubcommands().containsKey(argv.getFirst())) {
            // checked before picocli: with --help after it, picocli would print the top-level usage and exit 0
            cl.getErr().println("orca: unknown command '" + argv.getFirst() + "' (commands: " + String.join(", ", cl.getSubcommands().keySet()) + ")");
            cl.getErr().println("Try 'orca --help'.");
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
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            if (verbose) ex.printStackTrace(err);
            err.flush();
            return ERROR;
        });
        try {
            return cl.execute(argv.toArray(String[]::new));
        } catch (VirtualMachineError e) { // picocli hands on Errors: this is the one place that turns them into a line and exit 2
            PrintWriter err = cl.getErr();
            err.println("orca: " + describe(e));
            if (verbose) e.printStackTrace(err);
            err.flush();
            return ERROR;
        }
    }

    /** One line for an error: file-system exceptions name the file and the problem, others give their message. */
    static String describe(Throwable ex) {
        VirtualMachineError vmError = vmError(ex);
        if (vmError != null) return describeVmError(vmError);
        // new UncheckedIOException(cause) only repeats the cause, and a file-system cause names the file and the reason
        // better than a wrapper's "cannot read X": report the cause itself; other wrappers get the cause's message appended
        if (ex instanceof java.io.UncheckedIOException u && !(u.getCause() instanceof FileSystemException) && !String.valueOf(u.getCause()).equals(u.getMessage())) {
            String cause = describe(u.getCause());
            return u.getMessage().contains(cause) ? u.getMessage() : u.getMessage() + " (" + cause + ")";
        }
        Throwable e = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
        String reason = e instanceof FileSystemException f && f.getReason() != null ? " (" + f.getReason() + ")" : "";
        return switch (e) {
            case NoSuchFileException f -> "file not found: " + f.getFile() + reason;
            case AccessDeniedException f -> "permission denied: " + f.getFile() + reason;
            case FileSystemException f -> "cannot access " + f.getFile() + reason;
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }

    /** The VM error that caused {@code ex} (a worker thread's error may arrive wrapped), or null. */
    private static VirtualMachineError vmError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VirtualMachineError v) return v;
        }
        return null;
    }

    /** Out of heap, out of native threads, stack overflow: what ran out and the remedy. */
    private static String describeVmError(VirtualMachineError e) {
        String what = e.getMessage() == null ? "" : e.getMessage();
        return switch (e) {
            case OutOfMemoryError m when what.contains("native thread") -> "cannot start another thread (" + what + "): lower --threads (this machine has "
                    + Runtime.getRuntime().availableProcessors() + " cores) or raise the process limit (ulimit -u)";
            case OutOfMemoryError m -> "out of memory (" + (what.isEmpty() ? "OutOfMemoryError" : what) + ", max heap " + dev.orcaj.io.HeapBudget.mib(dev.orcaj.io.HeapBudget.maxHeap())
                    + "); " + dev.orcaj.io.HeapBudget.remedy(0);
            case StackOverflowError s -> "stack overflow (input nested too deeply?); give the JVM a larger thread stack, e.g. java -Xss64m -jar orca.jar ...";
            default -> "the Java VM failed: " + e.getClass().getSimpleName() + (what.isEmpty() ? "" : " (" + what + ")");
        };
    }
}
