package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.tune.TrialStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code orca tune} end to end on the tiny task: two methods, trials in child JVMs, resume of a finished search, bad flags. */
class TuneCommandTest {
    @TempDir
    static Path dir;
    static Path body;
    static String data;

    static final String[] SEARCH = {"--methods", "finetune,scratch", "--trials", "3", "--min-epochs", "1", "--max-epochs", "3", "--eta", "3",
            "--parallel", "2", "--threads-per-trial", "1", "--space", "batch_size=8,16;lr=1e-2,1e-3,1e-6;target_seq_len=8,24;optimizer=adam,adamw"};

    static Path out;
    static Cli.Result search;

    /** The fixtures and one uninterrupted search (the reference of the kill test too). */
    @BeforeAll
    static void fixtures() throws Exception {
        body = Cli.tinyBody(dir);
        data = Cli.tinyData(dir, 60, 24);
        out = dir.resolve("search");
        search = Cli.orca(tune(out, "--refit-seeds", "1"));
    }

    static String[] tune(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("tune", "--data", data, "--body", body.toString()));
        a.addAll(List.of(SEARCH));
        a.addAll(List.of(extra));
        a.addAll(List.of("--out", out.toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void tinySearchEndToEndThenResumeRunsNothingAgain() throws Exception {
        Cli.Result r = search;
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("best finetune: ") && r.out().contains("best scratch: "), r.out());
        ObjectMapper json = new ObjectMapper();
        List<TrialStore.Trial> finetuneTrials;
        for (String m : List.of("finetune", "scratch")) {
            try (TrialStore store = TrialStore.open(out.resolve(m))) {
                List<TrialStore.Rung> rungs = store.rungs();
                assertTrue(rungs.stream().allMatch(x -> x.status() == TrialStore.Status.DONE && x.attempts() == 1), m + ": " + rungs);
                assertEquals(3, store.trials().size());
                assertEquals(4, rungs.size(), "3 trials at rung 0 (1 epoch), the best of them promoted to rung 1 (3 epochs): " + rungs);
                // the answer is the trial at the top rung, the best of rung 0
                TrialStore.Rung top = rungs.stream().filter(x -> x.rung() == 1).findFirst().orElseThrow();
                double rung0Best = rungs.stream().filter(x -> x.rung() == 0).mapToDouble(TrialStore.Rung::score).max().orElseThrow();
                assertEquals(rung0Best, rungs.stream().filter(x -> x.rung() == 0 && x.trialId().equals(top.trialId())).findFirst().orElseThrow().score());
                JsonNode best = json.readTree(out.resolve(m).resolve("tune.json").toFile()).get("best");
                assertEquals(top.trialId(), best.get("trial").asText(), m);
                assertEquals(top.score(), best.get("score").asDouble(), m);
                assertEquals(1, best.get("rung").asInt());
                assertEquals(3, best.get("epochs").asInt());
                assertFalse(best.get("test").isEmpty(), "the best trial's final model is tested");
                assertTrue(Files.readString(out.resolve(m).resolve("tune.md")).contains("| **" + best.get("trial").asText() + "** |"));
                assertTrue(Files.exists(out.resolve(m).resolve("trials").resolve(best.get("trial").asText()).resolve(dev.orcaj.orca.Experiment.TRIAL_STATE)));
                JsonNode metrics = json.readTree(out.resolve("refit-" + m).resolve("metrics.json").toFile());
                assertTrue(metrics.toString().contains("\"epochs\":3"), "the refit trains the best configuration for R epochs: " + metrics);
                for (TrialStore.Trial t : store.trials()) {
                    assertEquals(t.trialId().equals(best.get("trial").asText()), Files.exists(out.resolve(m).resolve("trials").resolve(t.trialId()).resolve(dev.orcaj.orca.Experiment.TRIAL_STATE)),
                            "only the best trial keeps its state: " + t.trialId());
                }
                String log = Files.readString(out.resolve(m).resolve("trials/t000/log.txt"));
                assertTrue(log.contains("== trial t000 rung 0"), log);
            }
        }
        try (TrialStore a = TrialStore.open(out.resolve("finetune")); TrialStore b = TrialStore.open(out.resolve("scratch"))) {
            finetuneTrials = a.trials();
            for (int i = 0; i < 3; i++) assertEquals(finetuneTrials.get(i).config(), b.trials().get(i).config(), "both methods search the same configurations");
        }
        String table = Files.readString(out.resolve("tune.md"));
        assertTrue(table.contains("| finetune |") && table.contains("| scratch |"), table);
        String page = Files.readString(out.resolve("tune.html"));
        assertTrue(page.contains("<h2>finetune</h2>") && page.contains("<h2>scratch</h2>") && page.contains("<h2>Settings</h2>"), "tune.html summarises both searches");
        assertTrue(page.contains(">executor</th><td class=\"l\">local, 2 in parallel x 1 threads</td>"), "with the settings used");
        String bestTrial = json.readTree(out.resolve("finetune/tune.json").toFile()).at("/best/trial").asText();
        assertTrue(Files.readString(out.resolve("finetune/tune.html")).contains("<tr class=\"best\"><td class=\"l\">" + bestTrial + "</td>"), "per method too");
        assertTrue(r.out().contains("report: " + out.toAbsolutePath().resolve("tune.html")), r.out());

        String before = Files.readString(out.resolve("finetune/tune.json")), beforePage = Files.readString(out.resolve("finetune/tune.html"));
        Cli.Result again = Cli.orca("tune", "--resume", out.toString());
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("(done before the interruption)"), again.out());
        try (TrialStore store = TrialStore.open(out.resolve("finetune"))) {
            assertTrue(store.rungs().stream().allMatch(x -> x.attempts() == 1), "a finished search resumes without running a rung again");
        }
        assertEquals(before, Files.readString(out.resolve("finetune/tune.json")), "the resumed search reports the same trials and answer");
        assertEquals(beforePage, Files.readString(out.resolve("finetune/tune.html")));
    }

    /** Each rung's score by "trial@rung". */
    static java.util.Map<String, Double> scores(Path methodDir) {
        java.util.Map<String, Double> m = new java.util.TreeMap<>();
        try (TrialStore store = TrialStore.open(methodDir)) {
            for (TrialStore.Rung r : store.rungs()) m.put(r.trialId() + "@" + r.rung(), r.status() == TrialStore.Status.DONE ? r.score() : Double.NaN);
        }
        return m;
    }

    /**
     * One trial at a time runs in the search's JVM (no JVM per rung): the same rung scores as the reference search's
     * trial JVMs with another thread count, each rung's output in its trial's log.txt rather than on the console,
     * and the console streams given back afterwards.
     */
    @Test
    void oneTrialAtATimeRunsInProcessWithTheTrialJvmsScores() throws Exception {
        Path inProcess = dir.resolve("in-process");
        List<String> a = new java.util.ArrayList<>(List.of(tune(inProcess)));
        a.set(a.indexOf("finetune,scratch"), "finetune");
        a.set(a.indexOf("--parallel") + 1, "1");
        a.set(a.indexOf("--threads-per-trial") + 1, String.valueOf(Runtime.getRuntime().availableProcessors()));
        Cli.Result r = Cli.orca(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.all());
        assertEquals(scores(out.resolve("finetune")), scores(inProcess.resolve("finetune")), "every rung scores as in the trial JVMs");
        String log = Files.readString(inProcess.resolve("finetune/trials/t000/log.txt"));
        assertTrue(log.contains("== trial t000 rung 0") && log.contains("(in the search's JVM)") && log.contains("stage 3: refine"), log);
        assertFalse(r.out().contains("stage 3: refine"), "a rung's progress stays in its trial's log: " + r.out());
        assertTrue(r.out().contains("best finetune: ") && r.out().contains("report: "), "the search's own lines after the rungs reach the console: " + r.out());
    }

    @Test
    void searchKilledMidwayResumesToTheSameScoresAndChoice() throws Exception {
        Path killed = dir.resolve("killed");
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "--add-modules", "jdk.incubator.vector",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        String[] args = tune(killed);
        cmd.addAll(List.of(args));
        cmd.set(cmd.indexOf("finetune,scratch"), "finetune"); // the finetune search alone: the same as the reference's
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.txt").toFile()).start();
        List<ProcessHandle> trials;
        try {
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (true) {
                assertTrue(p.isAlive(), "the search ended before it was killed: " + Files.readString(dir.resolve("killed.txt")));
                assertTrue(System.nanoTime() < deadline, "no promotion in 300 s: " + Files.readString(dir.resolve("killed.txt")));
                if (Files.exists(killed.resolve("finetune").resolve(TrialStore.FILE))) {
                    // the promoted trial's rung 1 (epochs 2-3 from its rung-0 state) has started: it runs for seconds, the kill cuts it
                    if (scores(killed.resolve("finetune")).entrySet().stream().anyMatch(e -> e.getKey().endsWith("@1") && e.getValue().isNaN())) break;
                }
                Thread.sleep(100);
            }
            trials = p.toHandle().descendants().toList();
            p.destroyForcibly(); // SIGKILL: the search process gets no chance to clean up
            assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        for (ProcessHandle t : trials) {
            assertDoesNotThrow(() -> t.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS), "a trial JVM outlived the killed search by 30 s");
        }
        long cut = scores(killed.resolve("finetune")).values().stream().filter(v -> v.isNaN()).count();
        assertTrue(cut >= 1, "the kill cut a rung off");

        Cli.Result resumed = Cli.orca("tune", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.all());
        assertEquals(scores(out.resolve("finetune")), scores(killed.resolve("finetune")), "every rung's score equals the uninterrupted search's");
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(out.resolve("finetune/tune.json").toFile()).get("best"), json.readTree(killed.resolve("finetune/tune.json").toFile()).get("best"));
        try (TrialStore store = TrialStore.open(killed.resolve("finetune"))) {
            assertEquals(cut, store.rungs().stream().filter(r -> r.attempts() == 2).count(), "exactly the rungs cut off by the kill ran again: " + store.rungs());
            assertTrue(store.rungs().stream().allMatch(r -> r.attempts() <= 2));
        }
    }

    @Test
    void searchedAndBudgetFlagsAreRefusedWithTheFlagNamed() {
        Cli.Result lr = Cli.orca(tune(dir.resolve("x"), "--lr", "1e-3"));
        assertEquals(2, lr.code());
        assertTrue(lr.err().contains("--lr is searched by orca tune; to fix its value use --space 'lr=VALUE'"), lr.err());
        Cli.Result epochs = Cli.orca(tune(dir.resolve("x"), "--epochs", "3"));
        assertEquals(2, epochs.code());
        assertTrue(epochs.err().contains("--epochs is set by orca tune"), epochs.err());
        Cli.Result space = Cli.orca(tune(dir.resolve("x"), "--space", "learning_rate=1"));
        assertEquals(2, space.code());
        assertTrue(space.err().contains("--space: expected name=v1,v2,... with name one of target_seq_len"), space.err());
        Cli.Result eta = Cli.orca(tune(dir.resolve("x"), "--eta", "1"));
        assertEquals(2, eta.code());
        assertTrue(eta.err().contains("--eta must be >= 2"), eta.err());
        Cli.Result executor = Cli.orca(tune(dir.resolve("x"), "--executor", "spark"));
        assertEquals(2, executor.code());
        assertTrue(executor.err().contains("--executor spark: not on the class path (available: local"), executor.err());
        Cli.Result source = Cli.orca(tune(dir.resolve("x"), "--methods", "orca"));
        assertEquals(2, source.code());
        assertTrue(source.err().contains("--source-seq 32 exceeds the 16 positions of --body"), "ORCA's source proxy is checked before any trial: " + source.err());
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written for a refused command line");
    }
}
