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

    @BeforeAll
    static void fixtures() throws Exception {
        body = Cli.tinyBody(dir);
        data = Cli.tinyData(dir, 60, 24);
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
        Path out = dir.resolve("search");
        Cli.Result r = Cli.orca(tune(out, "--refit-seeds", "1"));
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

        String before = Files.readString(out.resolve("finetune/tune.json"));
        Cli.Result again = Cli.orca("tune", "--resume", out.toString());
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("(done before the interruption)"), again.out());
        try (TrialStore store = TrialStore.open(out.resolve("finetune"))) {
            assertTrue(store.rungs().stream().allMatch(x -> x.attempts() == 1), "a finished search resumes without running a rung again");
        }
        assertEquals(before, Files.readString(out.resolve("finetune/tune.json")), "the resumed search reports the same trials and answer");
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
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written for a refused command line");
    }
}
