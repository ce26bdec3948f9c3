package dev.orcaj.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** An output that cannot be written is reported before any training, naming --out; an output never replaces an input. */
class OutputChecksTest {
    @TempDir
    static Path dir;
    static Path body, model;
    static String data;

    @BeforeAll
    static void tinyModel() throws Exception {
        body = Cli.tinyBody(dir);
        data = Cli.tinyData(dir, 40, 24);
        model = Cli.finishedTinyRun(dir, body, data);
    }

    static void failsBeforeTraining(Cli.Result r, String... fragments) {
        CliErrorsTest.fails(r, fragments);
        assertFalse(r.out().contains("stage "), "no stage may start: " + r.out());
    }

    @Test
    void finetuneIntoAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        failsBeforeTraining(Cli.orca("finetune", "--data", data, "--body", body.toString(), "--epochs", "1", "--out", file.toString()),
                "--out " + file, "is a file, but a directory is expected");
        failsBeforeTraining(Cli.orca("finetune", "--data", data, "--body", body.toString(), "--epochs", "1", "--out", file.resolve("sub").toString()),
                "--out " + file.resolve("sub"), file + " is a file");
    }

    @Test
    void alignIntoADirectory() {
        failsBeforeTraining(Cli.orca("align", "--data", data, "--align-epochs", "1", "--max-samples", "8", "--source-classes", "3", "--source-samples", "60",
                        "--cache-dir", dir.resolve("cache").toString(), "--threads", "2", "--out", dir.toString()),
                "--out " + dir, "is a directory, but a file name is expected");
    }

    @Test
    void predictDoesNotReplaceItsModel() throws Exception {
        Path x = dir.resolve("x.npy");
        dev.orcaj.io.Npy.write(x, dev.orcaj.io.NdArray.ofFloats(new float[24], 1, 24));
        byte[] before = Files.readAllBytes(model);
        CliErrorsTest.fails(Cli.orca("predict", "--model", model.toString(), "--inputs", x.toString(), "--out", model.toString()),
                "--out " + model, "is the --model file");
        CliErrorsTest.fails(Cli.orca("predict", "--model", model.toString(), "--inputs", x.toString(), "--out", x.toString()), "is the --inputs file");
        assertArrayEquals(before, Files.readAllBytes(model));
    }
}
