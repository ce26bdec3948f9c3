package dev.orcaj.tune;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs each rung in this JVM on the calling thread, for one trial at a time ({@code --parallel 1}): there the reasons
 * for a JVM per rung ({@link ChildJvmTrialRunner}: a thread pool and heap per trial) do not apply, while its costs do
 * (a JVM start, reading the task and body, a cold JIT: half of a short search's time, docs/SUITES.md). The experiments
 * should come from {@link RungInputs} so that the task and body are read once.
 *
 * <p>While a rung runs, the process's standard output and error go to the trial's {@code log.txt}, as a child JVM's
 * would: what the run prints (its task line, warnings, epochs) belongs to the trial, not to the search's console.
 * That redirection is process-wide, hence one rung at a time ({@link #run} is synchronized). A rung that throws fails
 * as a child that exits non-zero does: the search records the failure and goes on.
 */
public final class InProcessTrialRunner implements TrialRunner {
    private final OrcaTrialRunner.Experiments experiments;

    public InProcessTrialRunner(OrcaTrialRunner.Experiments experiments) {
        this.experiments = experiments;
    }

    @Override
    public synchronized RungResult run(TrialRung rung) throws Exception {
        Path dir = Path.of(rung.workDir()), logFile = dir.resolve("log.txt");
        Files.createDirectories(dir);
        PrintStream console = System.out, consoleErr = System.err;
        try (PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, StandardCharsets.UTF_8)) {
            System.setOut(log);
            System.setErr(log);
            log.println(TrialProcess.started(rung) + " (in the search's JVM)");
            try {
                RungResult r = new OrcaTrialRunner(experiments, log).run(rung);
                log.println(TrialProcess.finished(r));
                return r;
            } catch (Exception e) {
                e.printStackTrace(log);
                log.println(TrialProcess.failed(e));
                throw new IllegalStateException("trial " + rung.trialId() + " rung " + rung.rung() + ": " + e.getMessage() + " (log: " + logFile + ")", e);
            } finally {
                System.setOut(console);
                System.setErr(consoleErr);
            }
        }
    }
}
