package dev.orcaj.suite;

import dev.orcaj.orca.Evaluator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Runs the cells of a suite one after the other, writing each run's raw JSON as soon as it ends. Resumable at the
 * granularity of one run: a cell whose raw file exists (and reads back) is not recomputed; an interrupted run leaves
 * no raw file (atomic write) and starts over. A failed run is reported and the suite goes on with the next cell.
 */
public final class SuiteRunner {
    /** What a pass over the suite did. */
    public record Summary(int ran, int skipped, List<String> failed) {}

    private final SuiteSpec suite;
    private final RunExecutor executor;
    private final PrintStream out;
    private final Provenance provenance;

    public SuiteRunner(SuiteSpec suite, RunExecutor executor, PrintStream out, Provenance provenance) {
        this.suite = suite;
        this.executor = executor;
        this.out = out;
        this.provenance = provenance;
    }

    public Summary run(Predicate<SuiteCell> selected) throws IOException {
        List<SuiteCell> cells = suite.cells().stream().filter(selected).toList();
        List<SuiteCell> todo = new ArrayList<>();
        int skipped = 0;
        for (SuiteCell c : cells) {
            if (finished(c)) skipped++;
            else todo.add(c);
        }
        out.printf(Locale.ROOT, "suite %s: %d runs, %d finished earlier (raw JSON in %s), %d to run%n", suite.name(), cells.size(), skipped, suite.results(), todo.size());
        List<String> failed = new ArrayList<>();
        double spent = 0;
        for (int i = 0; i < todo.size(); i++) {
            SuiteCell c = todo.get(i);
            out.printf(Locale.ROOT, "[%d/%d] %s: running%n", i + 1, todo.size(), c.id());
            long t0 = System.nanoTime();
            RunExecutor.Result r;
            try {
                r = executor.run(suite, c);
            } catch (Exception e) {
                failed.add(c.id());
                out.printf(Locale.ROOT, "[%d/%d] %s: FAILED (%s); no raw file written, the next pass retries it%n", i + 1, todo.size(), c.id(), oneLine(e));
                continue;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            spent += seconds;
            RawRun raw = raw(c, r, seconds);
            raw.write(c.rawFile(suite.results()));
            int succeeded = i + 1 - failed.size(), left = todo.size() - i - 1; // succeeded >= 1: this run did
            out.printf(Locale.ROOT, "[%d/%d] %s: test %s %.4f (%.0f s; about %.0f min left)%n", i + 1, todo.size(), c.id(), raw.metric(), raw.value(), seconds,
                    left * spent / succeeded / 60);
        }
        return new Summary(todo.size() - failed.size(), skipped, failed);
    }

    private boolean finished(SuiteCell c) {
        Path f = c.rawFile(suite.results());
        if (!Files.isRegularFile(f)) return false;
        try {
            RawRun.read(f);
            return true;
        } catch (IOException | RuntimeException e) {
            out.println("  " + f + " does not read back (" + oneLine(e) + "); running " + c.id() + " again");
            return false;
        }
    }

    RawRun raw(SuiteCell c, RunExecutor.Result r, double seconds) {
        String metric = c.task().metric() != null ? c.task().metric() : r.selectMetric();
        if (!r.test().containsKey(metric)) {
            throw new IllegalArgumentException(suite.file() + ": task " + c.task().name() + ": the run reports no test metric '" + metric + "' (it has " + r.test().keySet() + ")");
        }
        return new RawRun(suite.name(), c.task().name(), c.task().data(), c.label(), c.method(), c.objective(), c.seed(), metric, Evaluator.higherIsBetter(metric),
                r.test(), r.validation(), r.reference(), seconds, r.alignSeconds(), r.refineSeconds(), r.alignBefore(), r.alignAfter(), r.selectMetric(), r.curve(), r.bestEpoch(), r.settings(),
                provenance.commit(), provenance.hostCpu(), provenance.cores(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
