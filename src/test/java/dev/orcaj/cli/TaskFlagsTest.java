package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** --task, --loss, --select-metric and --report through the CLI, and their one-line errors (exit code 2). */
class TaskFlagsTest {
    static final String FIX = "src/test/resources/tasks/";

    @TempDir
    Path dir;

    @Test
    void maskedBceRunThenEvaluate() throws Exception {
        Path body = Cli.tinyBody(dir), out = dir.resolve("cosmic");
        String data = "npy:" + FIX + "cosmic_x.npy," + FIX + "cosmic_y.npy," + FIX + "cosmic_ignore.npy";
        Cli.Result r = Cli.orca("run", "--data", data, "--body", body.toString(), "--methods", "finetune", "--epochs", "2", "--batch-size", "8",
                "--select-metric", "pixel_auroc_thresholded", "--report", "last", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.all());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("masked-bce", m.get("task").get("loss").asText());
        JsonNode run = m.get("runs").get(0);
        assertEquals("pixel_auroc_thresholded", run.get("select_metric").asText());
        assertEquals("last", run.get("reported").asText());
        assertTrue(run.get("test").has("pixel_auroc"), run.toString());
        Cli.Result e = Cli.orca("evaluate", "--model", out.resolve("models/finetune-seed0.safetensors").toString());
        assertEquals(0, e.code(), e.all());
        assertTrue(e.out().contains("\"pixel_auroc\""), e.out());
    }

    @Test
    void aValidationSplitTooSmallToSelectOnIsWarnedAbout() throws Exception {
        Path body = Cli.tinyBody(dir);
        Cli.Result r = Cli.orca("run", "--data", Cli.tinyData(dir, 40, 24), "--body", body.toString(), "--methods", "finetune", "--epochs", "1",
                "--batch-size", "16", "--threads", "2", "--out", dir.resolve("run").toString());
        assertEquals(0, r.code(), r.all());
        var rows = java.util.regex.Pattern.compile("validation (\\d+), test").matcher(r.out());
        assertTrue(rows.find(), r.out());
        int n = Integer.parseInt(rows.group(1));
        assertTrue(n > 0 && n < TaskOptions.FEW_VALIDATION_ROWS, r.out());
        assertTrue(r.out().contains("orca: warning: the validation split has only " + n + " rows (--val-fraction 0.2)"), r.out());
        assertTrue(r.out().contains("steps of " + String.format(java.util.Locale.ROOT, "%.3g", 1.0 / n)), r.out());
        assertEquals(null, TaskOptions.fewValidationRows(TaskOptions.FEW_VALIDATION_ROWS, 0.2), "no warning from the threshold up");
    }

    @Test
    void badTaskFlagsFailWithOneLine() throws Exception {
        Path body = Cli.tinyBody(dir);
        String npz = "npz:" + FIX + "multilabel.npz";
        Cli.Result r = Cli.orca("run", "--data", npz, "--body", body.toString(), "--methods", "finetune", "--select-metric", "r2");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--select-metric r2: a multilabel task with loss bce reports auroc, map"), r.err());
        r = Cli.orca("run", "--data", npz, "--body", body.toString(), "--methods", "finetune", "--task", "pixels");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--task: expected classes, multilabel, regression or dense, got 'pixels'"), r.err());
        r = Cli.orca("run", "--data", npz, "--body", body.toString(), "--methods", "finetune", "--loss", "mse");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--loss mse does not fit the multilabel task"), r.err());
        r = Cli.orca("run", "--data", npz, "--body", body.toString(), "--methods", "finetune", "--report", "median");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--report: expected best or last, got 'median'"), r.err());
    }
}
