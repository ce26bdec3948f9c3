package dev.orcaj.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.orcaj.cli.CliErrorsTest.fails;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 11 items 4, 5, 8 and 9: inputs too large for the heap, flags out of range and misleading messages. Each case
 * must end in one line "orca: ..." naming the file, flag or field and what was expected, exit code 2, before any
 * training starts.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static Path body;
    static String data;

    @BeforeAll
    static void fixtures() throws Exception {
        body = Cli.tinyBody(dir);
        data = Cli.tinyData(dir, 40, 24);
    }

    /** A finetune run of the tiny task with {@code extra} flags appended. */
    static Cli.Result finetune(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--data", data, "--body", body.toString(), "--methods", "finetune", "--epochs", "1",
                "--threads", "1", "--out", dir.resolve("out").toString()));
        args.addAll(List.of(extra));
        return Cli.orca(args.toArray(String[]::new));
    }

    @Test
    void nonFiniteAndOutOfRangeTrainingFlagsAreRefusedByName() {
        fails(finetune("--clip", "NaN"), "--clip", "finite", "NaN");
        fails(finetune("--dropout", "-0.5"), "--dropout", "[0, 1)", "-0.5");
        fails(finetune("--dropout", "NaN"), "--dropout", "NaN");
        fails(finetune("--momentum", "NaN"), "--momentum", "NaN");
        fails(finetune("--lr", "Infinity"), "--lr", "Infinity");
        fails(finetune("--weight-decay", "-1"), "--weight-decay", "-1");
        fails(finetune("--batch-size", "0"), "--batch-size", ">= 1");
        fails(finetune("--pos-weight", "NaN"), "--pos-weight");
        fails(finetune("--source-seq", "1"), "--source-seq", ">= 2");
    }

    @Test
    void patchOutsideTheInputIsRefused() {
        fails(finetune("--patch", "-1"), "--patch", ">= 0", "-1");
        fails(finetune("--patch", "1000"), "--patch 1000", "larger than the input", "[24]", "at most 24");
    }

    @Test
    void threadsAreBoundedByTheCores() {
        int max = 4 * Runtime.getRuntime().availableProcessors();
        fails(finetune("--threads", "100000"), "--threads", "1.." + max, "100000");
        fails(finetune("--threads", "-1"), "--threads", "-1");
    }

    @Test
    void tokenizerIsNotSilentlyIgnoredForMiniLm() {
        Cli.Result r = Cli.orca("run", "--data", data, "--methods", "orca", "--epochs", "1", "--align-epochs", "1", "--threads", "1",
                "--tokenizer", dir.resolve("tokenizer.json").toString(), "--out", dir.resolve("tok").toString());
        fails(r, "--tokenizer", "does not apply to --body minilm");
    }

    @Test
    void sourceSequenceLongerThanTheBodyIsRefusedBeforeAllocating() {
        // --source-seq 100000 used to allocate [256, 100000, 384] floats per batch and end in an OutOfMemoryError
        Cli.Result r = Cli.orca("run", "--data", data, "--methods", "orca", "--epochs", "1", "--align-epochs", "1", "--threads", "1",
                "--source-seq", "100000", "--out", dir.resolve("seq").toString());
        fails(r, "--source-seq 100000", "512 positions", "--body minilm");
    }

    @Test
    void theMemoryEstimateIsPrintedBeforeTraining() {
        Cli.Result r = finetune("--out", dir.resolve("estimate").toString());
        assertEquals(0, r.code(), r.all());
        int estimate = r.out().indexOf("memory estimate: "), training = r.out().indexOf("stage 3");
        assertTrue(estimate >= 0 && estimate < training, r.out());
        assertTrue(r.out().contains("activations for a batch of "), r.out());
    }
}
