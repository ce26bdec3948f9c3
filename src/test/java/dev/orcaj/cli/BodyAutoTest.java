package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.io.BertConfig;
import dev.orcaj.orca.TinyTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code orca run --body auto:A,B}: two tiny random bodies of one width, each aligned against the WordNet proxy through
 * the given tokenizer; metrics.json's "body_selection" lists both with their final distances, names the one with the
 * smaller, and the printed table says the same. Bad candidates fail with exit code 2 naming them.
 */
class BodyAutoTest {
    @TempDir Path dir;

    @Test
    void runChoosesTheSmallerFinalDistanceAndRecordsIt() throws Exception {
        Path a = dev.orcaj.orca.BodySelectionTest.checkpoint(dir, "a", TinyTask.CONFIG, 7);
        Path b = dev.orcaj.orca.BodySelectionTest.checkpoint(dir, "b", new BertConfig("bert", 16, 16, 3, 2, 32, "gelu", 16, 2, 1e-12, 0), 21);
        Path wordpiece = Path.of(getClass().getResource("/dev/orcaj/fuzz/TokenizerFuzzTestInputs/fuzz/wordpiece.json").toURI());
        Path out = dir.resolve("run");
        Cli.Result r = Cli.orca("run", "--data", Cli.tinyData(dir, 40, 24), "--body", "auto:" + a + "," + b, "--tokenizer", wordpiece.toString(),
                "--methods", "finetune", "--epochs", "1", "--batch-size", "16", "--align-epochs", "3", "--max-samples", "8",
                "--source-classes", "2", "--source-samples", "20", "--source-seq", "16", "--cache-dir", dir.resolve("cache").toString(),
                "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.all());
        JsonNode sel = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("body_selection");
        assertEquals(2, sel.get("candidates").size(), sel.toString());
        double afterA = sel.get("candidates").get(0).get("after").asDouble(), afterB = sel.get("candidates").get(1).get("after").asDouble();
        assertTrue(afterA != afterB && Double.isFinite(afterA) && Double.isFinite(afterB), sel.toString());
        String expected = afterA < afterB ? a.toString() : b.toString();
        assertEquals(expected, sel.get("chosen").asText());
        assertTrue(r.out().contains("chosen body: " + expected), r.out());
    }

    @Test
    void theChosenBodysOrcaRunContinuesFromItsSelectionAlignment() throws Exception {
        Path a = dev.orcaj.orca.BodySelectionTest.checkpoint(dir, "a", TinyTask.CONFIG, 7);
        Path b = dev.orcaj.orca.BodySelectionTest.checkpoint(dir, "b", new BertConfig("bert", 16, 16, 3, 2, 32, "gelu", 16, 2, 1e-12, 0), 21);
        Path wordpiece = Path.of(getClass().getResource("/dev/orcaj/fuzz/TokenizerFuzzTestInputs/fuzz/wordpiece.json").toURI());
        String data = Cli.tinyData(dir, 40, 24);
        java.util.function.BiFunction<String, String, Cli.Result> run = (body, out) -> Cli.orca("run", "--data", data, "--body", body,
                "--tokenizer", wordpiece.toString(), "--methods", "orca", "--epochs", "2", "--batch-size", "16", "--align-epochs", "3", "--max-samples", "8",
                "--source-classes", "2", "--source-samples", "20", "--source-seq", "16", "--cache-dir", dir.resolve("cache").toString(), "--threads", "2",
                "--out", dir.resolve(out).toString());
        Cli.Result auto = run.apply("auto:" + a + "," + b, "auto");
        assertEquals(0, auto.code(), auto.all());
        ObjectMapper json = new ObjectMapper();
        JsonNode autoMetrics = json.readTree(dir.resolve("auto/metrics.json").toFile());
        String chosen = autoMetrics.get("body_selection").get("chosen").asText();
        Cli.Result direct = run.apply(chosen, "direct");
        assertEquals(0, direct.code(), direct.all());
        JsonNode directMetrics = json.readTree(dir.resolve("direct/metrics.json").toFile());
        // stage 2 ran once per candidate and not again for the chosen body's run, which continued from it
        assertEquals(2, auto.out().split("== stage 2: align embedder", -1).length - 1, auto.out());
        assertTrue(auto.out().contains("stage 2: taken from the body selection"), auto.out());
        assertEquals(1, direct.out().split("== stage 2: align embedder", -1).length - 1, direct.out());
        // and the run is the one the chosen body alone gives: same alignment, same trained model
        JsonNode ra = autoMetrics.get("runs").get(0), rd = directMetrics.get("runs").get(0);
        assertEquals(rd.get("test"), ra.get("test"), ra + " vs " + rd);
        assertEquals(rd.get("validation_curve"), ra.get("validation_curve"), ra + " vs " + rd);
        int chosenIndex = autoMetrics.get("body_selection").get("candidates").get(0).get("body").asText().equals(chosen) ? 0 : 1;
        assertEquals(autoMetrics.get("body_selection").get("candidates").get(chosenIndex).get("after").asDouble(), rd.get("alignment").get("after").asDouble(), rd.toString());
        assertEquals(rd.get("alignment").get("curve"), ra.get("alignment").get("curve"), ra + " vs " + rd);

        // interrupted after the selection (its block is in metrics.json), before the run's model was written: --resume
        // takes the recorded choice instead of aligning every candidate again, and the run comes out the same
        java.nio.file.Files.delete(dir.resolve("auto/models/orca-seed0.safetensors"));
        Cli.Result resumed = Cli.orca("run", "--resume", dir.resolve("auto").toString(), "--threads", "2");
        assertEquals(0, resumed.code(), resumed.all());
        assertTrue(resumed.out().contains("body selection: taken from the interrupted run"), resumed.out());
        assertEquals(1, resumed.out().split("== stage 2: align embedder", -1).length - 1, "only the run's own stage 2: " + resumed.out());
        JsonNode again = json.readTree(dir.resolve("auto/metrics.json").toFile());
        assertEquals(autoMetrics.get("body_selection"), again.get("body_selection"));
        assertEquals(ra.get("test"), again.get("runs").get(0).get("test"));
    }

    @Test
    void badCandidatesAreNamed() throws Exception {
        Cli.Result r = Cli.orca("run", "--data", Cli.tinyData(dir, 40, 24), "--body", "auto:minilm,roberta-huge", "--methods", "finetune", "--epochs", "1",
                "--out", dir.resolve("bad").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("candidate 'roberta-huge' is not a body"), r.err());
        Cli.Result align = Cli.orca("align", "--data", Cli.tinyData(dir, 40, 24), "--body", "auto", "--out", dir.resolve("x.safetensors").toString());
        assertEquals(2, align.code(), align.all());
        assertTrue(align.err().contains("orca run only"), align.err());
    }
}
