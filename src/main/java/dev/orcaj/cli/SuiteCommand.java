package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.io.AtomicFiles;
import dev.orcaj.suite.Aggregate;
import dev.orcaj.suite.Page;
import dev.orcaj.suite.Provenance;
import dev.orcaj.suite.RawRun;
import dev.orcaj.suite.ResultsPage;
import dev.orcaj.suite.SuiteCell;
import dev.orcaj.suite.SuiteFile;
import dev.orcaj.suite.SuiteRunner;
import dev.orcaj.suite.SuiteSpec;
import dev.orcaj.tune.ChildJvmTrialRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code orca suite SUITE.yaml}: runs a results suite (tasks x methods x seeds), resumable, and aggregates its raw runs into tables. */
@Command(name = "suite", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Run a results suite: every task x method x seed of SUITE.yaml as one 'orca run', each result written to",
                "RESULTS/TASK/METHOD-seedS.json as soon as it ends. Resumable: runs with a raw file are not recomputed.",
                "With a tune: block, each task's methods are first searched with ASHA (orca tune) and run with the best configuration.",
                "With --out, aggregates the raw runs into a Markdown page (and an HTML twin beside it): mean ± std per task and",
                "method, the reference baselines, ORCA vs fine-tuning with a paired Wilcoxon test, average ranks, the ablation.",
                "The suite file format: docs/SUITES.md."},
        footer = {"%nExamples:",
                "  orca suite suites/smoke.yaml --out runs/smoke.md",
                "  orca suite suites/tuned.yaml --parallel 2 --threads-per-run 1   (two runs at a time, one core each)",
                "  orca suite --aggregate suites/tuned.yaml --out docs/RESULTS.md   (tables only, from the committed raw JSON)"})
public final class SuiteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SUITE.yaml", description = "The suite file.")
    Path file;
    @Option(names = "--aggregate", description = "Do not run anything: only aggregate the raw runs present into --out.")
    boolean aggregateOnly;
    @Option(names = "--out", paramLabel = "FILE.md", description = "Write the aggregate page here (Markdown) and FILE.html beside it.")
    Path out;
    @Option(names = "--tasks", split = ",", paramLabel = "NAME", description = "Run only these tasks of the suite (comma list).")
    List<String> tasks;
    @Option(names = "--dry-run", description = "List the runs still to do with their 'orca run' command lines, run nothing.")
    boolean dryRun;
    @Option(names = "--parallel", defaultValue = "1", paramLabel = "P", description = "Runs at once, each in its own JVM with --threads-per-run threads (and searches with P trials at once); 1 (the default): one run at a time in this JVM with the suite file's --threads.")
    int parallel;
    @Option(names = "--threads-per-run", defaultValue = "0", paramLabel = "K", description = "CPU threads of each run, replacing the suite file's --threads; 0 (the default): cores / --parallel when --parallel > 1, else the suite file's.")
    int threadsPerRun;
    @Option(names = "--cell", hidden = true, description = "Run only this cell (TASK/LABEL/seedS) in this JVM and write its result to --result-to (the child side of --parallel).")
    String cell;
    @Option(names = "--result-to", hidden = true, description = "With --cell: the result's JSON file.")
    Path resultTo;

    @Override
    public Integer call() throws Exception {
        SuiteSpec suite = SuiteFile.read(file);
        if (tasks != null) for (String t : tasks) if (suite.task(t) == null) throw new IllegalArgumentException("--tasks: '" + t + "' is not a task of " + file);
        if (out != null && !out.getFileName().toString().endsWith(".md")) throw new IllegalArgumentException("--out " + out + ": expected a Markdown file name ending in .md");
        FlagChecks.atLeast("--parallel", parallel, 1);
        int cores = Runtime.getRuntime().availableProcessors();
        FlagChecks.between("--threads-per-run", threadsPerRun, 0, 4L * cores, " (0 = cores / --parallel; at most 4 x the " + cores + " cores)");
        if (cell != null) return runCell(suite);
        int failed = 0;
        if (!aggregateOnly) {
            OrcaRunExecutor.checkFlags(suite);
            if (dryRun) {
                for (SuiteCell c : suite.cells()) {
                    if (selected(c) && !Files.isRegularFile(c.rawFile(suite.results()))) {
                        System.out.println(c.id() + ": orca " + String.join(" ", OrcaRunExecutor.args(suite, c, OrcaRunExecutor.workDir(suite, c))));
                    }
                }
                return 0;
            }
            SuiteRunner.Summary s = parallel == 1
                    ? new SuiteRunner(suite, new OrcaRunExecutor(threadsPerRun), System.out, Provenance.ofThisMachine()).run(this::selected)
                    : runInParallel(suite);
            System.out.println("suite " + suite.name() + ": " + s.ran() + " runs done, " + s.skipped() + " finished earlier, " + s.failed().size() + " failed"
                    + (s.failed().isEmpty() ? "" : " (" + String.join(", ", s.failed()) + "; run the same command again to retry them)"));
            failed = s.failed().size();
        }
        if (out != null) aggregate(suite);
        return failed == 0 ? 0 : OrcaCli.ERROR;
    }

    /**
     * --parallel P > 1: the searches that have yet to run first, one task at a time with P trials at once (two runs
     * of a task must not both start its search), then P runs at a time, each in a child JVM with K threads and an
     * equal share of this JVM's heap. Thread counts do not change results (the CPU kernels are bitwise the same at
     * any thread count, BackendParityTest), so a parallel suite writes the raw numbers a serial one would.
     */
    private SuiteRunner.Summary runInParallel(SuiteSpec suite) throws Exception {
        int k = threadsPerRun > 0 ? threadsPerRun : Math.max(1, Runtime.getRuntime().availableProcessors() / parallel);
        List<String> searched = new ArrayList<>(), unsearched = new ArrayList<>();
        if (suite.tune() != null) {
            for (SuiteCell c : suite.cells()) {
                String task = c.task().name();
                if (!selected(c) || searched.contains(task) || unsearched.contains(task) || Files.isRegularFile(c.rawFile(suite.results()))) continue;
                try {
                    OrcaRunExecutor.tuned(suite, c, parallel, k);
                    searched.add(task);
                } catch (Exception e) {
                    unsearched.add(task);
                    System.out.println("task " + task + ": its search failed (" + e.getMessage() + "); its runs wait for the next pass");
                }
            }
        }
        String heap = ChildJvmTrialRunner.heapShare(Runtime.getRuntime().maxMemory(), parallel);
        SuiteRunner.Summary s = new SuiteRunner(suite, new ChildJvmCellExecutor(file, k, heap), System.out, Provenance.ofThisMachine())
                .run(c -> selected(c) && !unsearched.contains(c.task().name()), parallel);
        List<String> failed = new ArrayList<>(s.failed());
        for (SuiteCell c : suite.cells()) {
            if (unsearched.contains(c.task().name()) && selected(c) && !Files.isRegularFile(c.rawFile(suite.results()))) failed.add(c.id());
        }
        return new SuiteRunner.Summary(s.ran(), s.skipped(), failed);
    }

    /** The child side of --parallel: one cell in this JVM, its result written to --result-to (atomically). */
    private int runCell(SuiteSpec suite) throws Exception {
        SuiteCell c = suite.cells().stream().filter(x -> x.id().equals(cell)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--cell: '" + cell + "' is not a run of " + file));
        if (resultTo == null) throw new IllegalArgumentException("--cell needs --result-to");
        var result = new OrcaRunExecutor(threadsPerRun).run(suite, c);
        byte[] json = new ObjectMapper().writeValueAsBytes(result);
        AtomicFiles.write(resultTo, o -> o.write(json));
        return 0;
    }

    private boolean selected(SuiteCell c) {
        return tasks == null || tasks.contains(c.task().name());
    }

    private void aggregate(SuiteSpec suite) throws Exception {
        List<RawRun> runs = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (SuiteCell c : suite.cells()) {
            Path f = c.rawFile(suite.results());
            if (Files.isRegularFile(f)) runs.add(RawRun.read(f));
            else missing.add(c.id());
        }
        if (runs.isEmpty()) throw new IllegalArgumentException(file + ": no raw runs under " + suite.results() + " yet; run 'orca suite " + file + "' first");
        String command = "orca suite --aggregate " + file + " --out " + out;
        Page page = ResultsPage.build(suite, Aggregate.of(runs), command, Provenance.ofThisMachine(), LocalDate.now(ZoneOffset.UTC).toString(), missing);
        Path html = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.md$", ".html"));
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        byte[] md = page.markdown().getBytes(StandardCharsets.UTF_8), h = page.html("ORCA-J results: " + suite.name()).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(out, o -> o.write(md));
        AtomicFiles.write(html, o -> o.write(h));
        System.out.println("aggregated " + runs.size() + " runs" + (missing.isEmpty() ? "" : " (" + missing.size() + " missing)") + " into " + out + " and " + html);
    }
}
