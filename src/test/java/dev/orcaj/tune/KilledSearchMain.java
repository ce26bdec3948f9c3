package dev.orcaj.tune;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A search process for {@link KillResumeTest}: the real driver, store and local executor with a scripted runner
 * (sleeps, then scores the configuration by a fixed formula), so the test can kill it with SIGKILL mid-search.
 */
public final class KilledSearchMain {
    static final Asha.Settings BUDGET = new Asha.Settings(6, 1, 4, 2);

    private KilledSearchMain() {}

    /** Appends "start t@k" to {@code log} when a rung begins, sleeps 200 ms per epoch it adds, scores it. */
    static TrialRunner runner(Path log) { return runner(log, -1); }

    /**
     * As above, but the {@code hangAt}-th rung (0-based; -1: none) never ends: it writes the file "hanging" beside
     * {@code log} and sleeps, so a kill is sure to find it running.
     */
    static TrialRunner runner(Path log, int hangAt) {
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        return rung -> {
            Files.writeString(log, "start " + rung.trialId() + "@" + rung.rung() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (started.getAndIncrement() == hangAt) {
                Files.writeString(log.resolveSibling("hanging"), rung.trialId() + "@" + rung.rung());
                Thread.sleep(Long.MAX_VALUE);
            }
            int added = rung.epochs() - (rung.rung() == 0 ? 0 : BUDGET.rungEpochs(rung.rung() - 1));
            Thread.sleep(200L * added);
            TrialConfig c = TrialConfig.ofFlags(rung.config());
            double score = -Math.abs(Math.log10(c.lr()) + 3) - c.batchSize() / 100.0 + 0.01 * rung.epochs() * (c.optimizer().equals("sgd") ? 0.5 : 1);
            return new RungResult(rung.trialId(), rung.rung(), rung.epochs(), score, Map.of("score", score), 0.2 * added);
        };
    }

    static Search.Result search(Path dir, TrialStore store, TrialExecutor ex) throws InterruptedException {
        return new Search(BUDGET, SearchSpace.paper(), 3, "killed", Map.of(), TrialConfig::flags, dir, store, ex, Search.Order.SIMULATED, null).run();
    }

    /** args: search directory, execution log, the rung that hangs. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (TrialStore store = TrialStore.open(dir); TrialExecutor ex = new LocalTrialExecutor(runner(Path.of(args[1]), Integer.parseInt(args[2])), 2)) {
            search(dir, store, ex);
        }
    }
}
