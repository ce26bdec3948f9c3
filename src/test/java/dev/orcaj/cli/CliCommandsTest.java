package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;
import dev.orcaj.orca.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The commands end to end on a tiny random body and generated data (each call well under a second). */
class CliCommandsTest {
    @TempDir
    static Path dir;
    static Path body, runDir;
    static String data;
    static JsonNode metrics;
    static String runOutput;

    static final String[] TINY_RUN = {"--methods", "finetune,scratch", "--epochs", "2", "--batch-size", "8", "--lr", "1e-3", "--threads", "2"};

    @BeforeAll
    static void tinyRun() throws Exception {
        body = Cli.tinyBody(dir);
        data = Cli.tinyData(dir, 40, 24);
        runDir = dir.resolve("run");
        Cli.Result r = Cli.orca(concat(new String[] {"run", "--data", data, "--body", body.toString(), "--out", runDir.toString()}, TINY_RUN));
        assertEquals(0, r.code(), r.all());
        runOutput = r.out();
        metrics = new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile());
    }

    /** The last lines of {@code orca run}: each run's test score against the reference baselines, whose scores metrics.json holds. */
    @Test
    void runEndsWithItsModelsAgainstTheReferenceBaselines() {
        List<String> lines = runOutput.lines().toList();
        List<String> last = lines.subList(lines.size() - 5, lines.size());
        assertTrue(last.get(0).startsWith("test accuracy (higher is better)"), String.join("\n", last));
        JsonNode ref = metrics.get("reference");
        double trivial = ref.at("/trivial/test/accuracy").asDouble(), linear = ref.at("/linear/test/accuracy").asDouble();
        assertEquals("majority class", ref.at("/trivial/model").asText());
        assertEquals("multinomial logistic regression", ref.at("/linear/model").asText());
        for (int i = 0; i < 2; i++) {
            JsonNode run = metrics.get("runs").get(i);
            double acc = run.at("/test/accuracy").asDouble();
            String line = last.get(1 + i);
            assertTrue(line.strip().startsWith(run.get("method").asText() + " seed 0"), line);
            assertEquals(acc > trivial, line.contains("beats trivial"), "verdict on trivial (" + acc + " vs " + trivial + "): " + line);
            assertEquals(acc > linear, line.contains("beats trivial and linear") || line.contains("beats linear"), "verdict on linear (" + acc + " vs " + linear + "): " + line);
        }
        assertTrue(last.get(3).strip().startsWith("trivial") && last.get(3).contains("majority class"), last.get(3));
        assertTrue(last.get(4).strip().startsWith("linear") && last.get(4).contains("chosen on validation"), last.get(4));
    }

    /** The page draws each method's saved model on the test rows: a confusion matrix per method for a class task. */
    @Test
    void reportDrawsTheSavedModelsTestPredictions() throws Exception {
        String html = Files.readString(runDir.resolve("report.html"));
        for (String m : List.of("finetune", "scratch")) assertTrue(html.contains("Confusion matrix of " + m + " (first seed)"), m);
        assertTrue(html.contains("<h2>Settings</h2>"));
    }

    static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void runLeavesModelsRunFileAndNoCheckpoints() throws Exception {
        assertTrue(Files.exists(runDir.resolve("models/finetune-seed0.safetensors")));
        assertTrue(Files.exists(runDir.resolve("models/scratch-seed0.safetensors")));
        assertTrue(Files.exists(runDir.resolve(CliSettings.RUN_FILE)));
        try (var s = Files.list(runDir.resolve("checkpoints"))) {
            assertEquals(List.of(), s.toList(), "checkpoints are removed when their run finishes");
        }
        assertEquals(Checkpoint.Stage.DONE, Checkpoint.read(runDir.resolve("models/finetune-seed0.safetensors")).state().stage());
    }

    @Test
    void evaluateReproducesTheRunsTestMetrics() throws Exception {
        Path out = dir.resolve("eval.json");
        Cli.Result r = Cli.orca("evaluate", "--model", runDir.resolve("models/finetune-seed0.safetensors").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.all());
        JsonNode eval = new ObjectMapper().readTree(out.toFile()).get("metrics");
        JsonNode test = metrics.get("runs").get(0).get("test");
        assertEquals("finetune", metrics.get("runs").get(0).get("method").asText());
        assertEquals(test, eval, "the saved model on the same split gives the metrics the run reported");
    }

    @Test
    void predictWritesOneRowOfLogitsPerInput() throws Exception {
        Path x = dir.resolve("pred-in.npy"), y = dir.resolve("pred-out.npy");
        Npy.write(x, NdArray.ofFloats(new float[5 * 24], 5, 1, 24));
        Cli.Result r = Cli.orca("predict", "--model", runDir.resolve("models/scratch-seed0.safetensors").toString(), "--inputs", x.toString(), "--out", y.toString());
        assertEquals(0, r.code(), r.all());
        NdArray out = Npy.read(y);
        assertArrayEquals(new long[] {5, 2}, out.shape());
        float[] v = out.toFloats();
        assertArrayEquals(Arrays.copyOfRange(v, 0, 2), Arrays.copyOfRange(v, 8, 10), "identical rows give identical logits");
    }

    @Test
    void infoSummarizesModelsAndBodies() {
        Cli.Result m = Cli.orca("info", runDir.resolve("models/finetune-seed0.safetensors").toString());
        assertEquals(0, m.code(), m.all());
        assertTrue(m.out().contains("finished (finetune"), m.out());
        assertTrue(m.out().contains("bert, 2 layers, 2 heads"), m.out());
        assertTrue(m.out().contains("hidden size: 16"), m.out());
        assertTrue(m.out().contains("sequence limit: 16 tokens"), m.out());
        Cli.Result b = Cli.orca("info", body.toString());
        assertEquals(0, b.code(), b.all());
        // 16x16 words + 16x16 positions + 2x16 types + 2x16 LN, then per layer 4x(16x16+16) + 2x(2x16) + 16x32+32 + 32x16+16, pooler 16x16+16
        long expected = 256 + 256 + 32 + 32 + 2L * (4 * 272 + 64 + 544 + 528) + 272;
        assertTrue(b.out().contains("parameters: " + expected), b.out());
    }

    @Test
    void finetuneFromASavedModelContinuesTraining() throws Exception {
        Path out = dir.resolve("ft");
        Cli.Result r = Cli.orca("finetune", "--data", data, "--model", runDir.resolve("models/finetune-seed0.safetensors").toString(),
                "--epochs", "1", "--batch-size", "8", "--out", out.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.all());
        assertTrue(Files.exists(out.resolve("model.safetensors")) && Files.exists(out.resolve("metrics.json")) && Files.exists(out.resolve("report.html")));
        // as orca run: the task's reference baselines in metrics.json, and the model against them in the last lines
        JsonNode ft = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode ref = ft.get("reference");
        assertNotNull(ref, "metrics.json has a reference block");
        assertEquals(metrics.at("/reference/trivial/test"), ref.at("/trivial/test"), "the same task and split give orca run's trivial baseline");
        assertEquals(metrics.at("/reference/linear/test"), ref.at("/linear/test"), "and its linear baseline");
        List<String> lines = r.out().lines().toList();
        List<String> last = lines.subList(lines.size() - 4, lines.size());
        assertTrue(last.get(0).startsWith("test accuracy (higher is better)"), String.join("\n", last));
        double acc = ft.at("/runs/0/test/accuracy").asDouble(), trivial = ref.at("/trivial/test/accuracy").asDouble();
        assertTrue(last.get(1).strip().startsWith("finetune seed 0"), last.get(1));
        assertEquals(acc > trivial, last.get(1).contains("beats trivial"), "verdict on trivial (" + acc + " vs " + trivial + "): " + last.get(1));
        assertTrue(last.get(2).strip().startsWith("trivial") && last.get(3).strip().startsWith("linear"), String.join("\n", last));
        assertTrue(Files.readString(out.resolve("report.html")).contains("<tr class=\"reference\">"), "the page shows the baselines beside the model");
        Cli.Result conflict = Cli.orca("finetune", "--data", data, "--model", runDir.resolve("models/finetune-seed0.safetensors").toString(), "--scratch", "--out", out.toString());
        assertEquals(OrcaCli.ERROR, conflict.code());
        assertTrue(conflict.err().contains("--scratch cannot be combined with --model"), conflict.err());
    }

    @Test
    void resumingAFinishedRunReusesItsModels() throws Exception {
        Cli.Result r = Cli.orca("run", "--resume", runDir.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("finished before the interruption"), r.out());
        assertEquals(metrics.get("runs").get(1).get("test"), new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile()).get("runs").get(1).get("test"));
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine root = new CommandLine(new OrcaCli());
        for (String name : root.getSubcommands().keySet()) {
            Cli.Result r = Cli.orca(name, "--help");
            assertEquals(0, r.code(), name + ": " + r.all());
            assertTrue(r.out().contains("Usage: orca " + name), name + ": " + r.out());
        }
        for (String c : List.of("run", "align", "finetune", "evaluate", "predict", "info")) assertTrue(root.getSubcommands().containsKey(c), c);
    }

    @Test
    void runAndFinetuneShareOneDefinitionOfEachFlag() {
        var run = new CommandLine(new RunCommand()).getCommandSpec();
        var ft = new CommandLine(new FinetuneCommand()).getCommandSpec();
        for (String flag : List.of("--epochs", "--lr", "--data", "--seed", "--body", "--batch-size")) {
            assertNotNull(run.findOption(flag), flag);
            assertNotNull(ft.findOption(flag), flag);
            assertEquals(run.findOption(flag).description()[0], ft.findOption(flag).description()[0], flag);
        }
    }
}
