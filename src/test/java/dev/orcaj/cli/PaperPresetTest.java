package dev.orcaj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TaskSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** --preset paper: the official configuration of the task's family fills the flags not given (orca-spec section 8). */
class PaperPresetTest {
    @TempDir
    Path dir;

    @Test
    void multiLabelRunTakesDeepSeaSettingsButExplicitFlagsWin() throws Exception {
        Path body = Cli.tinyBody(dir), out = dir.resolve("run");
        Cli.Result r = Cli.orca("run", "--preset", "paper", "--data", "npz:src/test/resources/tasks/multilabel.npz", "--body", body.toString(),
                "--methods", "finetune", "--epochs", "2", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("--preset paper: {config=deepsea"), r.out());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode s = m.get("settings");
        assertEquals("adam", s.get("optimizer").asText());
        assertEquals(1e-5, s.get("lr").asDouble());
        assertEquals(16, s.get("batch_size").asInt());
        assertEquals(25, s.get("decay_epochs").asInt(), "DeepSEA: decay over 25 epochs");
        assertEquals(10, s.get("warmup_epochs").asInt());
        assertEquals(4.0, s.get("pos_weight").asDouble());
        assertEquals(2, s.get("epochs").asInt(), "--epochs given on the command line wins over the preset's 13");
        JsonNode run = m.get("runs").get(0);
        assertEquals("last", run.get("reported").asText(), "the paper reports the last epoch");
        assertEquals(run.get("test_last"), run.get("test"));
    }

    @Test
    void configPerFamily() {
        assertEquals("psicov", preset(new TaskSpec("p", new int[] {1, 32, 32}, TaskSpec.OutputKind.DENSE, 1, TaskSpec.Loss.MSE), false).config());
        assertEquals("cosmic", preset(new TaskSpec("c", new int[] {1, 16, 16}, TaskSpec.OutputKind.DENSE, 1, TaskSpec.Loss.MASKED_BCE), false).config());
        assertEquals("darcy", preset(new TaskSpec("d", new int[] {1, 16, 16}, TaskSpec.OutputKind.DENSE, 1), false).config());
        assertEquals("PDEADV", preset(new TaskSpec("a", new int[] {1, 64}, TaskSpec.OutputKind.DENSE, 1), false).config());
        assertEquals("drug", preset(new TaskSpec("r", new int[] {1, 64}, TaskSpec.OutputKind.REGRESSION, 1), false).config());
        assertEquals("fsd", preset(new TaskSpec("f", new int[] {1, 16, 16}, TaskSpec.OutputKind.MULTILABEL, 5), false).config());
        assertEquals("satellite", preset(new TaskSpec("s", new int[] {1, 36}, TaskSpec.OutputKind.CLASSES, 6), false).config());
        assertTrue(preset(new TaskSpec("o", new int[] {1, 8}, TaskSpec.OutputKind.CLASSES, 2), true).config().startsWith("OPENML"));
        PaperPreset.Preset psicov = preset(new TaskSpec("p", new int[] {1, 32, 32}, TaskSpec.OutputKind.DENSE, 1, TaskSpec.Loss.MSE), false);
        assertEquals("32", psicov.flags().get("--accum"));
        assertEquals("0.0", psicov.flags().get("--clip"), "clip -1 of the config: no clipping");
    }

    static PaperPreset.Preset preset(TaskSpec spec, boolean tabular) {
        return PaperPreset.forTask(new TaskLoader.LoadedTask(spec, null, null, null, tabular, "test"));
    }
}
