package dev.orcaj.cli;

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

    @Override
    public Integer call() throws Exception {
        SuiteSpec suite = SuiteFile.read(file);
        if (tasks != null) for (String t : tasks) if (suite.task(t) == null) throw new IllegalArgumentException("--tasks: '" + t + "' is not a task of " + file);
        if (out != null && !out.getFileName().toString().endsWith(".md")) throw new IllegalArgumentException("--out " + out + ": expected a Markdown file name ending in .md");
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
            SuiteRunner.Summary s = new SuiteRunner(suite, new OrcaRunExecutor(), System.out, Provenance.ofThisMachine()).run(this::selected);
            System.out.println("suite " + suite.name() + ": " + s.ran() + " runs done, " + s.skipped() + " finished earlier, " + s.failed().size() + " failed"
                    + (s.failed().isEmpty() ? "" : " (" + String.join(", ", s.failed()) + "; run the same command again to retry them)"));
            failed = s.failed().size();
        }
        if (out != null) aggregate(suite);
        return failed == 0 ? 0 : OrcaCli.ERROR;
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
