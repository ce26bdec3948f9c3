package dev.orcaj.cli;

import dev.orcaj.io.DType;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ConvertCommandTest {
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new ConvertCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void convertsTinySwinToBf16() throws Exception {
        Path out = tmp.resolve("swin.safetensors");
        Run r = run("--from-hf", TestFiles.weights("tiny-swin").toString(), "--out", out.toString(), "--dtype", "bf16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("81 tensors, BF16, model_type swin"), r.out());
        NdArray w = EngineCheckpoint.load(out).get("layernorm.weight");
        assertEquals(DType.BF16, w.dtype());
    }

    @Test
    void helpDocumentsTheFlags() {
        Run r = run("--help");
        assertEquals(0, r.code());
        for (String flag : new String[]{"--from-hf", "--minilm", "--out", "--dtype"}) assertTrue(r.out().contains(flag), r.out());
    }

    @Test
    void badUsageIsRejected() {
        assertNotEquals(0, run("--out", tmp.resolve("a").toString()).code(), "a source is required");
        assertNotEquals(0, run("--minilm", "--from-hf", "x", "--out", "y").code(), "sources are exclusive");
        Run bad = run("--from-hf", TestFiles.weights("tiny-swin").toString(), "--out", tmp.resolve("b").toString(), "--dtype", "f16");
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("--dtype must be f32 or bf16"), bad.err());
    }

    @Test
    void registeredUnderOrca() {
        assertTrue(new CommandLine(new OrcaCli()).getSubcommands().containsKey("convert"));
    }
}
