package dev.orcaj.orca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orcaj.io.tensorboard.PythonEventReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A whole tiny run logged to TensorBoard: what an independent reader finds agrees with what the run returned. */
class TensorBoardLogTest {
    @TempDir Path runDir;

    @Test
    void aRunsScalarsMatchItsOutcome() throws Exception {
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 3, 8, 1, 1.0, 1, 3, false, 0, false, 0, 5);
        var s = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 6, 16, 0, false, cfg);
        OrcaRun.Outcome o;
        Path file;
        try (TensorBoardLog log = TensorBoardLog.open(runDir, "orca-seed5", System.err)) {
            file = log.file();
            o = OrcaRun.run(TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), TinyTask.body(),
                    () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, new Progress(null).withEvents(log));
        }
        assertEquals(runDir.resolve("tb").resolve("orca-seed5"), file.getParent());
        Map<String, List<long[]>> steps = new LinkedHashMap<>();
        Map<String, List<Float>> values = new LinkedHashMap<>();
        List<JsonNode> events = PythonEventReader.events(file);
        for (JsonNode e : events.subList(1, events.size())) {
            for (JsonNode v : e.path("values")) {
                steps.computeIfAbsent(v.path("tag").asText(), k -> new ArrayList<>()).add(new long[] {e.path("step").asLong()});
                values.computeIfAbsent(v.path("tag").asText(), k -> new ArrayList<>()).add((float) v.path("simple_value").asDouble());
            }
        }
        // stage 2: the distance only on epochs that computed one (AlignStage.VALUE_EVERY and the last), lr on every epoch
        List<Float> distance = new ArrayList<>();
        List<Long> distanceEpochs = new ArrayList<>();
        for (int e = 0; e < 6; e++) {
            if (e % AlignStage.VALUE_EVERY == 0 || e == 5) {
                distance.add((float) o.align().curve()[e]);
                distanceEpochs.add((long) e + 1);
            }
        }
        assertEquals(distance, values.get("align/distance"));
        assertEquals(distanceEpochs, steps.get("align/distance").stream().map(a -> a[0]).toList());
        assertEquals(6, values.get("align/lr").size());
        // stage 3: 12 optimizer steps (32 rows, batches of 8, 3 epochs), then per epoch at its last step
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), steps.get("train/loss").stream().map(a -> a[0]).toList());
        assertEquals(12, values.get("train/lr").size());
        List<Float> epochLoss = new ArrayList<>();
        for (var ep : o.refine().epochs()) epochLoss.add((float) ep.trainLoss());
        assertEquals(epochLoss, values.get("train/epoch_loss"));
        assertEquals(List.of(4L, 8L, 12L), steps.get("train/epoch_loss").stream().map(a -> a[0]).toList());
        for (String metric : o.refine().epochs().get(0).validation().keySet()) {
            List<Float> expected = new ArrayList<>();
            for (var ep : o.refine().epochs()) expected.add(ep.validation().get(metric).floatValue());
            assertEquals(expected, values.get("validation/" + metric), metric);
        }
        assertEquals(List.of((float) o.align().seconds()), values.get("time/align_seconds"));
        assertEquals(List.of((float) o.refine().seconds()), values.get("time/refine_seconds"));
        assertEquals(3, values.get("time/epoch_seconds").size());
    }

    @Test
    void aLogThatCannotBeCreatedWarnsAndTheRunGoesOn() throws Exception {
        java.nio.file.Files.writeString(runDir.resolve("tb"), "a file where the tb/ folder should be");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        RunEvents log = TensorBoardLog.openOrWarn(runDir, "orca-seed0", new java.io.PrintStream(err, true));
        assertEquals(RunEvents.NONE, log);
        org.junit.jupiter.api.Assertions.assertTrue(err.toString().startsWith("warning: no TensorBoard log for orca-seed0: cannot create " + runDir.resolve("tb").resolve("orca-seed0")), err.toString());
    }
}
