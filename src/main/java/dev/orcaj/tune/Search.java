package dev.orcaj.tune;

import dev.orcaj.io.tensorboard.SearchLog;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One ASHA search of one method: draws configurations, asks {@link Asha} for jobs, runs them on a {@link TrialExecutor}
 * with {@link TrialExecutor#parallelism()} in flight, and records everything in the {@link TrialStore}. A rung the
 * store already has as done is not run again (its stored result is used): that is how {@code --resume} continues.
 *
 * <p>Trial i's configuration is the i-th draw of a {@link SplittableRandom} seeded with {@code seed}, so the same seed
 * gives the same configurations to every method and every rerun. Which trials get promoted depends on the order in
 * which results reach the scheduler; {@link Order} chooses it.
 */
public final class Search {

    public enum Order {
        /**
         * Results are applied in the order of a simulated clock on which every job takes as long as the epochs it adds
         * (ties: job ends before new decisions, then the lower worker index). Decisions then depend only on the scores,
         * never on real timing, so a search is reproducible on any executor at any speed; a worker whose result is ahead
         * of that clock waits for it. With parallelism 1 it is the sequential algorithm.
         */
        SIMULATED,
        /** Results are applied as they arrive (the paper's asynchronous ASHA): no waiting, but promotions depend on timing. */
        ARRIVAL;

        public static Order parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "simulated" -> SIMULATED;
                case "arrival" -> ARRIVAL;
                default -> throw new IllegalArgumentException("--order: expected simulated or arrival, got '" + s + "'");
            };
        }
    }

    /** A started job and what became of it; {@code result} null when it failed ({@code error}). */
    public record Outcome(Asha.Job job, String trialId, int epochs, RungResult result, String error, boolean fromStore) {}

    /**
     * @param jobs  every job in the order the scheduler issued it
     * @param best  the best trial's id (null if every trial failed)
     */
    public record Result(List<Asha.Job> jobs, List<Outcome> outcomes, String best, TrialConfig bestConfig, List<TrialConfig> configs) {}

    private final Asha asha;
    private final List<TrialConfig> configs;
    private final String searchId;
    private final Map<String, String> experiment;
    private final java.util.function.Function<TrialConfig, Map<String, String>> runFlags;
    private final Path dir;
    private final TrialStore store;
    private final TrialExecutor executor;
    private final Order order;
    private final PrintStream log;
    private final Map<String, RungResult> stored;
    private final LinkedBlockingQueue<Outcome> arrived = new LinkedBlockingQueue<>();
    private final List<Asha.Job> jobs = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private int done, failed;
    /** The trials as TensorBoard HParams sessions, {@code dir/tb/<trial id>/} (open while {@link #run} runs). */
    private SearchLog tensorBoard;
    private String firstError;

    /**
     * @param experiment the fixed run flags of every trial (data, body, method, seed, ...)
     * @param runFlags   a configuration as the run flags its rungs carry (e.g. {@link TrialConfig#runFlags})
     * @param dir        the search directory; trial i works in {@code dir/trials/<id>}
     * @param log        where progress lines go (null: nowhere)
     */
    public Search(Asha.Settings budget, SearchSpace space, long seed, String searchId, Map<String, String> experiment,
                  java.util.function.Function<TrialConfig, Map<String, String>> runFlags, Path dir, TrialStore store, TrialExecutor executor, Order order, PrintStream log) {
        this.asha = new Asha(budget);
        this.configs = configs(space, seed, budget.trials());
        this.searchId = searchId;
        this.experiment = Map.copyOf(experiment);
        this.runFlags = runFlags;
        this.dir = dir;
        this.store = store;
        this.executor = executor;
        this.order = order;
        this.log = log;
        this.stored = store.doneResults();
    }

    /** The first {@code n} configurations drawn with {@code seed}. */
    public static List<TrialConfig> configs(SearchSpace space, long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<TrialConfig> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(space.sample(rng));
        return out;
    }

    public static String trialId(int index) { return String.format(Locale.ROOT, "t%03d", index); }

    public Result run() throws InterruptedException {
        try (SearchLog hparams = new SearchLog(dir, log)) {
            tensorBoard = hparams;
            if (order == Order.ARRIVAL) runInArrivalOrder();
            else runOnSimulatedClock();
        }
        int best = asha.best();
        return new Result(List.copyOf(jobs), List.copyOf(outcomes), best < 0 ? null : trialId(best), best < 0 ? null : configs.get(best), configs);
    }

    private void runInArrivalOrder() throws InterruptedException {
        int inFlight = 0;
        while (true) {
            Asha.Job job;
            while (inFlight < executor.parallelism() && (job = asha.next()) != null) {
                launch(job);
                inFlight++;
            }
            if (inFlight == 0) return;
            apply(arrived.take());
            inFlight--;
        }
    }

    private void runOnSimulatedClock() throws InterruptedException {
        int p = executor.parallelism();
        double[] clock = new double[p]; // an idle worker's time, or a busy worker's job end
        Asha.Job[] running = new Asha.Job[p];
        Map<Asha.Job, Outcome> early = new HashMap<>();
        while (true) {
            int w = 0; // the next event: the earliest time; at equal times a job end before a decision, then the lower worker
            for (int v = 1; v < p; v++) {
                if (clock[v] < clock[w] || (clock[v] == clock[w] && running[v] != null && running[w] == null)) w = v;
            }
            if (running[w] != null) {
                Asha.Job job = running[w];
                while (!early.containsKey(job)) {
                    Outcome o = arrived.take();
                    early.put(o.job(), o);
                }
                apply(early.remove(job));
                running[w] = null;
                continue;
            }
            Asha.Job job = asha.next();
            if (job != null) {
                launch(job);
                running[w] = job;
                clock[w] += cost(job);
                continue;
            }
            double nextEnd = Double.POSITIVE_INFINITY;
            for (int v = 0; v < p; v++) if (running[v] != null) nextEnd = Math.min(nextEnd, clock[v]);
            if (nextEnd == Double.POSITIVE_INFINITY) return; // nothing running, nothing to start: the search is over
            clock[w] = nextEnd; // idle until the next result may allow a promotion
        }
    }

    /** Simulated duration of a job: the stage-3 epochs it adds to the trial. */
    private int cost(Asha.Job job) {
        var b = asha.settings();
        return b.rungEpochs(job.rung()) - (job.rung() == 0 ? 0 : b.rungEpochs(job.rung() - 1));
    }

    private void launch(Asha.Job job) {
        jobs.add(job);
        String id = trialId(job.trial());
        int epochs = asha.settings().rungEpochs(job.rung());
        RungResult known = stored.get(TrialStore.key(id, job.rung()));
        if (known != null) {
            arrived.add(new Outcome(job, id, epochs, known, null, true));
            return;
        }
        TrialConfig config = configs.get(job.trial());
        store.started(id, job.trial(), config.flags(), job.rung(), epochs);
        TrialRung rung = new TrialRung(searchId, id, job.rung(), epochs, asha.settings().maxEpochs(), experiment, runFlags.apply(config),
                dir.resolve("trials").resolve(id).toAbsolutePath().toString());
        executor.submit(rung).whenComplete((r, e) -> arrived.add(new Outcome(job, id, epochs, r, e == null ? null : message(e), false)));
    }

    /**
     * The tie-break of equal rung scores: the validation AUROC of a classification task (threshold-free, so it still
     * separates configurations whose accuracy is that of the majority class); none (NaN) for other tasks.
     */
    static double tieBreak(Map<String, Double> validation) {
        return validation.getOrDefault("auroc", Double.NaN);
    }

    private void apply(Outcome o) {
        outcomes.add(o);
        Asha.Job job = o.job();
        if (o.result() != null) {
            if (!o.fromStore()) {
                store.finished(o.result());
                tensorBoard.rung(o.trialId(), configs.get(job.trial()).flags(), o.epochs(), o.result().score(), o.result().validation());
            }
            asha.report(job.trial(), job.rung(), o.result().score(), tieBreak(o.result().validation()));
            done++;
            say(String.format(Locale.ROOT, "  %s rung %d (%d epochs): score %.6g%s%s", o.trialId(), job.rung(), o.epochs(), o.result().score(),
                    o.fromStore() ? " (done before the interruption)" : String.format(Locale.ROOT, " in %.1f s", o.result().seconds()),
                    job.rung() == 0 ? "  [" + configs.get(job.trial()) + "]" : ""));
        } else {
            store.failed(o.trialId(), job.rung(), o.error());
            tensorBoard.failed(o.trialId(), configs.get(job.trial()).flags());
            asha.report(job.trial(), job.rung(), Double.NEGATIVE_INFINITY);
            failed++;
            if (firstError == null) firstError = o.trialId() + " rung " + job.rung() + ": " + o.error();
            say("  " + o.trialId() + " rung " + job.rung() + " FAILED: " + o.error());
            int first = Math.min(3, asha.settings().trials());
            if (done == 0 && failed >= first) {
                throw new IllegalStateException("the first " + failed + " trial rungs all failed, stopping the search; first error: " + firstError);
            }
        }
    }

    private void say(String line) { if (log != null) log.println(line); }

    private static String message(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
