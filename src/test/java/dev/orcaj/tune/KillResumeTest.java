package dev.orcaj.tune;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A search process killed with SIGKILL mid-search and resumed from its SQLite store: every rung finished before the
 * kill is not run again, those cut off run once more, and the search makes the same decisions and the same final
 * choice as one that was never interrupted.
 */
class KillResumeTest {
    @TempDir
    Path tmp;

    @Test
    void killedSearchResumesToTheSameChoiceRunningEachFinishedRungOnce() throws Exception {
        Path ref = Files.createDirectories(tmp.resolve("uninterrupted"));
        Search.Result expected;
        try (TrialStore store = TrialStore.open(ref); TrialExecutor ex = new LocalTrialExecutor(KilledSearchMain.runner(ref.resolve("log")), 2)) {
            expected = KilledSearchMain.search(ref, store, ex);
        }

        Path dir = Files.createDirectories(tmp.resolve("killed")), log = dir.resolve("log");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KilledSearchMain.class.getName(), dir.toString(), log.toString(), "6").redirectErrorStream(true).redirectOutput(tmp.resolve("child.txt").toFile()).start();
        Set<String> doneAtKill = new HashSet<>(), runningAtKill = new HashSet<>();
        try {
            // the 7th rung hangs: once it has started (and the store says so), the kill finds it running
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(dir.resolve("hanging"))) {
                assertTrue(child.isAlive(), "the search ended before it was killed: " + Files.readString(tmp.resolve("child.txt")));
                assertTrue(System.nanoTime() < deadline, "the search made no progress: " + Files.readString(tmp.resolve("child.txt")));
                Thread.sleep(20);
            }
            Thread.sleep(300); // let the other worker finish a rung or two meanwhile
            child.destroyForcibly(); // SIGKILL
            assertTrue(child.waitFor(20, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        try (TrialStore store = TrialStore.open(dir)) {
            for (TrialStore.Rung r : store.rungs()) (r.status() == TrialStore.Status.DONE ? doneAtKill : runningAtKill).add(r.trialId() + "@" + r.rung());
        }
        assertTrue(runningAtKill.contains(Files.readString(dir.resolve("hanging"))), "the hanging rung is running in the store: " + runningAtKill);
        assertTrue(doneAtKill.size() >= 5 && doneAtKill.size() < expected.jobs().size(), "the kill came mid-search: " + doneAtKill);

        Search.Result resumed;
        try (TrialStore store = TrialStore.open(dir); TrialExecutor ex = new LocalTrialExecutor(KilledSearchMain.runner(log), 2)) {
            resumed = KilledSearchMain.search(dir, store, ex);
            List<TrialStore.Rung> rows = store.rungs();
            assertEquals(expected.jobs().size(), rows.size());
            for (TrialStore.Rung r : rows) {
                String key = r.trialId() + "@" + r.rung();
                assertEquals(TrialStore.Status.DONE, r.status(), key);
                assertEquals(runningAtKill.contains(key) ? 2 : 1, r.attempts(), key);
            }
        }
        assertEquals(expected.jobs(), resumed.jobs(), "the resumed search makes the uninterrupted search's decisions");
        assertEquals(expected.best(), resumed.best());
        assertEquals(expected.bestConfig(), resumed.bestConfig());

        Map<String, Integer> starts = new HashMap<>();
        for (String line : Files.readAllLines(log)) starts.merge(line.substring("start ".length()), 1, Integer::sum);
        for (var e : starts.entrySet()) {
            if (runningAtKill.contains(e.getKey())) { // 2, or 1 if the kill came between its store row and its start
                assertTrue(e.getValue() == 1 || e.getValue() == 2, e.getKey() + " ran " + e.getValue() + " times");
            } else {
                assertEquals(1, e.getValue(), e.getKey() + (doneAtKill.contains(e.getKey()) ? " was done before the kill" : "") + " ran more than once");
            }
        }
        assertEquals(expected.jobs().size(), starts.size(), "every rung ran");
    }
}
