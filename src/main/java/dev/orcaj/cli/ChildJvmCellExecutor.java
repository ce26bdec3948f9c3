package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.suite.RunExecutor;
import dev.orcaj.suite.SuiteCell;
import dev.orcaj.suite.SuiteSpec;
import dev.orcaj.tune.ChildJvmTrialRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a suite cell in a JVM of its own ({@code orca suite FILE --cell ID --result-to RESULT.json}, which runs it
 * with {@link OrcaRunExecutor}), so that {@code orca suite --parallel P} can give each of P runs its own share of the
 * cores: the CPU backend has one thread pool per JVM (the reason {@code orca tune} runs trials in child JVMs too).
 * The child's output goes to {@code RESULTS/.work/TASK/LABEL-seedS.log}, kept when the run fails.
 */
final class ChildJvmCellExecutor implements RunExecutor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path suiteFile;
    private final int threads;
    private final String maxHeap;

    ChildJvmCellExecutor(Path suiteFile, int threads, String maxHeap) {
        this.suiteFile = suiteFile;
        this.threads = threads;
        this.maxHeap = maxHeap;
    }

    @Override
    public Result run(SuiteSpec suite, SuiteCell c) throws Exception {
        Path work = OrcaRunExecutor.workDir(suite, c), name = work.getFileName();
        Path log = work.resolveSibling(name + ".log"), result = work.resolveSibling(name + ".result.json");
        Files.createDirectories(work.getParent());
        Files.deleteIfExists(result);
        List<String> cmd = ChildJvmTrialRunner.javaCommand(threads, maxHeap, Main.RELAUNCHED);
        cmd.addAll(List.of(Main.class.getName(), "suite", suiteFile.toString(), "--cell", c.id(), "--threads-per-run", String.valueOf(threads),
                "--result-to", result.toString()));
        int code = ChildJvmTrialRunner.runChild(cmd, ProcessBuilder.Redirect.to(log.toFile()));
        if (code != 0 || !Files.isRegularFile(result)) {
            throw new IOException("the run's JVM exited with code " + code + ": " + lastError(log) + " (log: " + log + ")");
        }
        Result r = JSON.readValue(result.toFile(), Result.class);
        Files.delete(result);
        Files.delete(log);
        return r;
    }

    /** The child's last "orca: ..." line (the command line's error message), else its last line. */
    private static String lastError(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).startsWith("orca: ")) return lines.get(i);
        return lines.isEmpty() ? "no output" : lines.getLast();
    }
}
