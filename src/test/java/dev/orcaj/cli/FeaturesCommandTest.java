package dev.orcaj.cli;

import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.models.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.orcaj.models.Fixtures.assertClose;
import static dev.orcaj.models.Fixtures.npy;
import static dev.orcaj.models.Fixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code orca features} run in-process on the shared fixtures; outputs compared with the fixture references (1e-4). */
class FeaturesCommandTest {
    @TempDir
    Path tmp;

    final Path roberta = Fixtures.weights("tiny-roberta");

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new FeaturesCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void hfDirectoryWithTokenIds() {
        Path out = tmp.resolve("feats");
        Run r = run("--checkpoint", roberta.toString(), "--input-ids", roberta.resolve("input_ids.npy").toString(),
                "--attention-mask", roberta.resolve("attention_mask.npy").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertClose(tensor(out.resolve("last_hidden_state.npy")), tensor(roberta.resolve("last_hidden_state.npy")), 1e-4, "cli last_hidden_state");
        assertClose(tensor(out.resolve("pooler_output.npy")), tensor(roberta.resolve("pooler_output.npy")), 1e-4, "cli pooler_output");
    }

    @Test
    void hfDirectoryWithInputsEmbeds() {
        Path out = tmp.resolve("feats");
        Run r = run("--checkpoint", roberta.toString(), "--inputs-embeds", roberta.resolve("inputs_embeds.npy").toString(),
                "--attention-mask", roberta.resolve("inputs_embeds_attention_mask.npy").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertClose(tensor(out.resolve("last_hidden_state.npy")), tensor(roberta.resolve("inputs_embeds_last_hidden_state.npy")), 1e-4, "cli inputs_embeds");
    }

    @Test
    void convertedSwinCheckpointWithPixels() throws Exception {
        Path swin = Fixtures.weights("tiny-swin");
        Path ckpt = tmp.resolve("swin.safetensors");
        EngineCheckpoint.write(ckpt, HfConfig.read(swin.resolve("config.json")), SafetensorsCheckpoint.open(swin.resolve("model.safetensors")).tensors());
        Path out = tmp.resolve("feats");
        Run r = run("--checkpoint", ckpt.toString(), "--pixel-values", swin.resolve("pixel_values.npy").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertClose(tensor(out.resolve("last_hidden_state.npy")), tensor(swin.resolve("last_hidden_state.npy")), 1e-4, "cli swin");
        assertClose(tensor(out.resolve("pooler_output.npy")), tensor(swin.resolve("pooler_output.npy")), 1e-4, "cli swin pooler");
    }

    @Test
    void builtInMiniLmHasNoPooler() {
        Path check = Fixtures.weights("all-minilm-l6-v2-check");
        Path out = tmp.resolve("feats");
        Run r = run("--minilm", "--input-ids", check.resolve("input_ids.npy").toString(), "--attention-mask", check.resolve("attention_mask.npy").toString(),
                "--token-type-ids", check.resolve("token_type_ids.npy").toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no pooler"), r.out());
        assertFalse(Files.exists(out.resolve("pooler_output.npy")));
        float[] ours = npy(out.resolve("last_hidden_state.npy")).toFloats(), ort = npy(check.resolve("last_hidden_state_ort.npy")).toFloats();
        int[] mask = npy(check.resolve("attention_mask.npy")).toInts();
        double d = 0;
        for (int i = 0; i < ours.length; i++) if (mask[i / 384] == 1) d = Math.max(d, Math.abs(ours[i] - ort[i]));
        assertTrue(d <= 1e-4, "max abs diff vs ORT " + d);
    }

    @Test
    void mismatchedInputsAreRejectedWithClearMessages() {
        Path out = tmp.resolve("x");
        Run wrongKind = run("--checkpoint", roberta.toString(), "--pixel-values", roberta.resolve("inputs_embeds.npy").toString(), "--out", out.toString());
        assertNotEquals(0, wrongKind.code());
        assertTrue(wrongKind.err().contains("--pixel-values needs a swin checkpoint"), wrongKind.err());
        Run badMask = run("--checkpoint", roberta.toString(), "--input-ids", roberta.resolve("input_ids.npy").toString(),
                "--attention-mask", roberta.resolve("pooler_output.npy").toString(), "--out", out.toString());
        assertNotEquals(0, badMask.code());
        assertTrue(badMask.err().contains("--attention-mask") && badMask.err().contains("expected shape [2, 12]"), badMask.err());
        Run noCheckpoint = run("--checkpoint", tmp.resolve("none").toString(), "--input-ids", roberta.resolve("input_ids.npy").toString(), "--out", out.toString());
        assertNotEquals(0, noCheckpoint.code());
        assertTrue(noCheckpoint.err().contains("none"), noCheckpoint.err());
        assertNotEquals(0, run("--minilm", "--out", out.toString()).code(), "an input is required");
        assertNotEquals(0, run("--minilm", "--input-ids", "a.npy", "--pixel-values", "b.npy", "--out", out.toString()).code(), "inputs are exclusive");
        assertFalse(Files.exists(out.resolve("last_hidden_state.npy")));
    }

    @Test
    void helpDocumentsFlagsAndCommandIsRegistered() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String flag : new String[] {"--checkpoint", "--minilm", "--input-ids", "--inputs-embeds", "--pixel-values", "--attention-mask", "--token-type-ids", "--out"}) {
            assertTrue(r.out().contains(flag), flag);
        }
        assertTrue(new CommandLine(new OrcaCli()).getSubcommands().containsKey("features"));
    }
}
