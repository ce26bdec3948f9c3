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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Runs the cells of a suite, one after the other or several at a time, writing each run's raw JSON as soon as it ends. Resumable at the
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

    public Summary run(Predicate<SuiteCell> selected) throws IOException { return run(selected, 1); }

    /**
     * Runs the selected cells that have no raw file, {@code parallel} at a time (each on its own thread calling the
     * executor, which for real runs starts a JVM per cell; with 1 the cells run one after the other on this thread).
     * Raw files are written here, one at a time, as runs end.
     */
    public Summary run(Predicate<SuiteCell> selected, int parallel) throws IOException {
        if (parallel < 1) throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
        List<SuiteCell> cells = suite.cells().stream().filter(selected).toList();
        List<SuiteCell> todo = new ArrayList<>();
        int skipped = 0;
        for (SuiteCell c : cells) {
            if (finished(c)) skipped++;
            else todo.add(c);
        }
        out.printf(Locale.ROOT, "suite %s: %d runs, %d finished earlier (raw JSON in %s), %d to run%s%n", suite.name(), cells.size(), skipped, suite.results(), todo.size(),
                parallel > 1 ? ", " + parallel + " at a time" : "");
        List<Callable<Ended>> runs = new ArrayList<>();
        for (int i = 0; i < todo.size(); i++) {
            SuiteCell c = todo.get(i);
            String tag = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, todo.size(), c.id());
            runs.add(() -> {
                synchronized (out) { out.println(tag + ": running"); }
                long t0 = System.nanoTime();
                try {
                    return new Ended(tag, c, executor.run(suite, c), null, (System.nanoTime() - t0) / 1e9);
                } catch (Exception e) {
                    return new Ended(tag, c, null, e, 0);
                }
            });
        }
        List<String> failed = new ArrayList<>();
        double spent = 0;
        int done = 0;
        ExecutorService pool = parallel == 1 ? null : Executors.newFixedThreadPool(parallel);
        try {
            CompletionService<Ended> inFlight = pool == null ? null : new ExecutorCompletionService<>(pool);
            if (inFlight != null) runs.forEach(inFlight::submit);
            for (Callable<Ended> next : runs) {
                Ended e = inFlight == null ? next.call() : inFlight.take().get();
                done++;
                if (e.error() != null) {
                    failed.add(e.cell().id());
                    synchronized (out) { out.printf(Locale.ROOT, "%s: FAILED (%s); no raw file written, the next pass retries it%n", e.tag(), oneLine(e.error())); }
                    continue;
                }
                spent += e.seconds();
                RawRun raw = raw(e.cell(), e.result(), e.seconds());
                raw.write(e.cell().rawFile(suite.results()));
                int succeeded = done - failed.size(), left = todo.size() - done; // succeeded >= 1: this run did
                synchronized (out) {
                    out.printf(Locale.ROOT, "%s: test %s %.4f (%.0f s; about %.0f min left)%n", e.tag(), raw.metric(), raw.value(), e.seconds(),
                            left * spent / succeeded / parallel / 60);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) { // interrupted while waiting, or a bug in a run's wrapper: stop the suite
            throw new IllegalStateException("suite " + suite.name() + " stopped: " + oneLine(e), e);
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        return new Summary(todo.size() - failed.size(), skipped, failed);
    }

    /** One run that ended: its result, or the error that ended it. */
    private record Ended(String tag, SuiteCell cell, RunExecutor.Result result, Exception error, double seconds) {}

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
