package dev.orcaj.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.cli.OrcaCli;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.NdArray;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.tune.TrialStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code orca tune --executor spark} end to end: the tune helper's ASHA search and SQLite trial store on the driver,
 * its real-engine runner on an embedded {@code local[2]} Spark (found through META-INF/services), compared with the
 * same search on the local executor (child JVMs). With the default simulated-clock order the decisions depend only on
 * the scores, so both must record the same rungs with the same scores and choose the same trial.
 */
class OrcaTuneOnSparkTest {
    static final String[] SEARCH = {"--methods", "finetune", "--trials", "4", "--min-epochs", "1", "--max-epochs", "2", "--eta", "2",
            "--parallel", "2", "--threads-per-trial", "1", "--space", "lr=1e-2,1e-3,1e-4;batch_size=8,16"};

    @Test
    void tuneOnSparkChoosesAsTheLocalExecutorWithTheSameRecordedRungs(@TempDir Path dir) throws Exception {
        Path body = tinyBody(dir);
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        String data = UcrTrialRunner.italyPowerDemand();
        tune(data, body, local, SEARCH);
        String out = tune(data, body, spark, SEARCH, "--executor", "spark", "--executor-option", "master=local[2]");
        assertTrue(out.contains("best finetune: "), out);

        ObjectMapper json = new ObjectMapper();
        JsonNode bestLocal = json.readTree(local.resolve("finetune/tune.json").toFile()).get("best");
        JsonNode bestSpark = json.readTree(spark.resolve("finetune/tune.json").toFile()).get("best");
        assertEquals(bestLocal.get("trial").asText(), bestSpark.get("trial").asText());
        assertEquals(bestLocal.get("score").asDouble(), bestSpark.get("score").asDouble(), 0.0);
        Map<String, Double> rungsLocal = scores(local), rungsSpark = scores(spark);
        assertEquals(4 + 2, rungsSpark.size(), "4 trials at rung 0, the best 2 promoted: " + rungsSpark);
        assertEquals(rungsLocal, rungsSpark);
    }

    static String tune(String data, Path body, Path out, String[] search, String... executor) {
        List<String> args = new ArrayList<>(List.of("tune", "--data", data, "--body", body.toString()));
        args.addAll(List.of(search));
        args.addAll(List.of(executor));
        args.addAll(List.of("--out", out.toString()));
        PrintStream oldOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = OrcaCli.run(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        return printed;
    }

    /** Every recorded rung "trial/rung" -> score; all must be done on their first attempt. */
    static Map<String, Double> scores(Path search) {
        Map<String, Double> scores = new LinkedHashMap<>();
        try (TrialStore store = TrialStore.open(search.resolve("finetune"))) {
            for (TrialStore.Rung r : store.rungs()) {
                assertEquals(TrialStore.Status.DONE, r.status(), r.toString());
                assertEquals(1, r.attempts(), r.toString());
                scores.put(r.trialId() + "/" + r.rung(), r.score());
            }
        }
        return scores;
    }

    /** The tiny random BERT of the other tests as a weights file, the way a body reaches every worker (a shared path). */
    static Path tinyBody(Path dir) throws Exception {
        Body b = Bodies.random(UcrTrialRunner.TINY_BERT, 7);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        b.module().namedParameters().forEach((n, p) -> { if (!p.isBuffer()) tensors.put(n, NdArray.ofFloats(p.get().toFloatArray(), p.get().shape())); });
        Path file = dir.resolve("tiny-body.safetensors");
        EngineCheckpoint.write(file, UcrTrialRunner.TINY_BERT, tensors);
        return file;
    }
}
