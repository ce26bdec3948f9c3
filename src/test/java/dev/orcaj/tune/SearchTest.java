package dev.orcaj.tune;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** The search driver: asynchronous completion orders, the simulated clock's independence from timing, the store. */
class SearchTest {
    private static final double[] SCORE = {0.1, 0.5, 0.3, 0.9};
    private static final Asha.Settings BUDGET = new Asha.Settings(4, 1, 4, 2);

    @TempDir
    Path tmp;

    private static RungResult result(TrialRung r) {
        int t = Integer.parseInt(r.trialId().substring(1));
        return new RungResult(r.trialId(), r.rung(), r.epochs(), SCORE[t], Map.of("accuracy", SCORE[t]), 0.01);
    }

    private static List<String> keys(List<Asha.Job> jobs) {
        List<String> out = new ArrayList<>();
        for (Asha.Job j : jobs) out.add(j.trial() + "@" + j.rung());
        return out;
    }

    /**
     * Runs {@code search} on another thread; completes the rungs it submits one at a time, the one {@code choose} picks
     * from those outstanding (null: wait for more submissions), until the search returns.
     */
    static Search.Result drive(Search search, ScriptedExecutor ex, Function<List<ScriptedExecutor.Pending>, ScriptedExecutor.Pending> choose) throws Exception {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                out.set(search.run());
            } catch (Throwable e) {
                out.set(e);
            }
        });
        t.start();
        List<ScriptedExecutor.Pending> outstanding = new ArrayList<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (t.isAlive() || !ex.submitted.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "search did not finish; outstanding " + outstanding);
            ScriptedExecutor.Pending p = ex.next(20);
            if (p != null) {
                outstanding.add(p);
                continue;
            }
            ScriptedExecutor.Pending pick = outstanding.isEmpty() ? null : choose.apply(outstanding);
            if (pick == null) continue;
            outstanding.remove(pick);
            pick.future().complete(result(pick.rung()));
        }
        t.join();
        if (out.get() instanceof Throwable e) throw new AssertionError("search failed", e);
        assertTrue(outstanding.isEmpty(), "rungs left unfinished: " + outstanding);
        return (Search.Result) out.get();
    }

    private Search search(Path dir, TrialStore store, ScriptedExecutor ex, Search.Order order) {
        return new Search(BUDGET, SearchSpace.paper(), 42, "s", Map.of("--data", "x"), TrialConfig::flags, dir, store, ex, order, null);
    }

    @Test
    void arrivalOrderPromotesAsResultsArrive() throws Exception {
        // two workers; t1 finishes before t0, so t1 is promoted before t0's result is known and t2 starts meanwhile
        List<String> script = new ArrayList<>(List.of("t001@0", "t002@0", "t000@0", "t003@0", "t003@1", "t001@1", "t003@2"));
        try (TrialStore store = TrialStore.open(tmp)) {
            ScriptedExecutor ex = new ScriptedExecutor(2);
            Search.Result r = drive(search(tmp, store, ex, Search.Order.ARRIVAL), ex, outstanding -> {
                for (var p : outstanding) if (p.key().equals(script.getFirst())) { script.removeFirst(); return p; }
                return null;
            });
            assertEquals(List.of("0@0", "1@0", "2@0", "1@1", "3@0", "3@1", "3@2"), keys(r.jobs()));
            assertEquals("t003", r.best());
            assertTrue(script.isEmpty());
        }
    }

    @Test
    void simulatedClockGivesTheSameDecisionsWhateverTheRealCompletionOrder() throws Exception {
        // worked by hand for 2 workers, job cost = epochs added (1, 1, 2): the sequential order here
        List<String> expected = List.of("0@0", "1@0", "1@1", "2@0", "3@0", "3@1", "3@2");
        for (boolean newestFirst : new boolean[] {false, true}) {
            Path dir = tmp.resolve("run-" + newestFirst);
            java.nio.file.Files.createDirectories(dir);
            try (TrialStore store = TrialStore.open(dir)) {
                ScriptedExecutor ex = new ScriptedExecutor(2);
                Search.Result r = drive(search(dir, store, ex, Search.Order.SIMULATED), ex, o -> newestFirst ? o.getLast() : o.getFirst());
                assertEquals(expected, keys(r.jobs()), "completing the " + (newestFirst ? "newest" : "oldest") + " outstanding rung first");
                assertEquals("t003", r.best());
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameConfigurations() {
        var a = Search.configs(SearchSpace.paper(), 7, 20);
        assertEquals(a, Search.configs(SearchSpace.paper(), 7, 20));
        assertNotEquals(a, Search.configs(SearchSpace.paper(), 8, 20));
        assertTrue(a.stream().distinct().count() > 15, "20 draws from 1800 configurations are mostly distinct: " + a);
    }

    @Test
    void theStoreKeepsEveryRungAndAResumedSearchRunsOnlyWhatWasNotDone() throws Exception {
        List<String> ran = new ArrayList<>();
        try (TrialStore store = TrialStore.open(tmp)) {
            ScriptedExecutor ex = new ScriptedExecutor(1);
            // the first process finishes three rungs, then "dies" with the fourth running
            Thread t = new Thread(() -> {
                try {
                    search(tmp, store, ex, Search.Order.SIMULATED).run();
                } catch (InterruptedException ignored) {
                    // the simulated crash
                }
            });
            t.start();
            for (int i = 0; i < 3; i++) {
                var p = ex.submitted.take();
                ran.add(p.key());
                p.future().complete(result(p.rung()));
            }
            var cut = ex.submitted.take();
            t.interrupt();
            t.join();
            assertEquals("t002@0", cut.key());
        }
        try (TrialStore store = TrialStore.open(tmp)) {
            var rows = store.rungs();
            assertEquals(4, rows.size());
            assertEquals(TrialStore.Status.RUNNING, rows.stream().filter(r -> r.trialId().equals("t002")).findFirst().orElseThrow().status());
            assertEquals(0.5, rows.stream().filter(r -> r.trialId().equals("t001") && r.rung() == 1).findFirst().orElseThrow().score());
            assertEquals(Map.of("accuracy", 0.5), rows.get(1).validation());
            assertEquals(Search.configs(SearchSpace.paper(), 42, 4).get(1).flags(), store.trials().get(1).config());
            assertEquals(TrialConfig.ofFlags(store.trials().get(1).config()), Search.configs(SearchSpace.paper(), 42, 4).get(1));

            ScriptedExecutor ex = new ScriptedExecutor(1);
            Search.Result r = drive(search(tmp, store, ex, Search.Order.SIMULATED), ex, o -> {
                ran.add(o.getFirst().key());
                return o.getFirst();
            });
            assertEquals(List.of("0@0", "1@0", "1@1", "2@0", "3@0", "3@1", "3@2"), keys(r.jobs()), "the resumed search makes the same decisions");
            assertEquals(List.of("t000@0", "t001@0", "t001@1", "t002@0", "t003@0", "t003@1", "t003@2"), ran, "every rung ran once, the cut one again");
            assertEquals("t003", r.best());
            var after = store.rungs();
            assertEquals(7, after.size());
            assertTrue(after.stream().allMatch(x -> x.status() == TrialStore.Status.DONE));
            assertEquals(2, after.stream().filter(x -> x.trialId().equals("t002")).findFirst().orElseThrow().attempts());
            assertEquals(6, after.stream().filter(x -> x.attempts() == 1).count());
        }
    }

    @Test
    void failedRungsAreRecordedAndASearchWhoseFirstRungsAllFailStops() throws Exception {
        try (TrialStore store = TrialStore.open(tmp)) {
            ScriptedExecutor ex = new ScriptedExecutor(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    search(tmp, store, ex, Search.Order.SIMULATED).run();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            for (int i = 0; i < 3; i++) ex.submitted.take().future().completeExceptionally(new ArithmeticException("refine: loss is NaN at epoch 1"));
            t.join(10_000);
            assertFalse(t.isAlive());
            assertInstanceOf(IllegalStateException.class, thrown.get());
            assertEquals("the first 3 trial rungs all failed, stopping the search; first error: t000 rung 0: refine: loss is NaN at epoch 1", thrown.get().getMessage());
            var rows = store.rungs();
            assertEquals(3, rows.size());
            assertTrue(rows.stream().allMatch(r -> r.status() == TrialStore.Status.FAILED && r.error().equals("refine: loss is NaN at epoch 1")), rows.toString());
        }
    }

    @Test
    void everyFinishedRungIsInTensorBoardAsItsTrialsSession() throws Exception {
        try (TrialStore store = TrialStore.open(tmp)) {
            ScriptedExecutor ex = new ScriptedExecutor(1);
            Search.Result r = drive(search(tmp, store, ex, Search.Order.SIMULATED), ex, outstanding -> outstanding.getFirst());
            for (TrialStore.Rung row : store.rungs()) {
                Path dir = tmp.resolve("tb").resolve(row.trialId());
                java.util.List<dev.orcaj.io.tensorboard.EventFileReader.Scalar> scalars;
                try (var files = java.nio.file.Files.list(dir)) {
                    scalars = dev.orcaj.io.tensorboard.EventFileReader.read(files.findFirst().orElseThrow());
                }
                assertTrue(scalars.stream().anyMatch(x -> x.tag().equals("score") && x.step() == row.epochs() && (float) x.value() == (float) (double) row.score()),
                        row + " missing from " + scalars);
                assertTrue(scalars.stream().anyMatch(x -> x.tag().equals("validation/accuracy") && x.step() == row.epochs()), row.toString());
            }
            assertEquals(r.configs().size(), java.nio.file.Files.list(tmp.resolve("tb")).count(), "one session per trial");
        }
    }
}
