package dev.orcaj.orca;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The structured events a whole run emits agree with the result it returns. */
class RunEventsTest {
    @Test
    void eventsMatchTheOutcome() {
        List<String> stages = new ArrayList<>();
        List<Double> align = new ArrayList<>();
        List<Double> epochLoss = new ArrayList<>();
        List<Map<String, Double>> validation = new ArrayList<>();
        long[] steps = {0};
        RunEvents listener = new RunEvents() {
            @Override public void stageStarted(String stage) { stages.add("start " + stage); }
            @Override public void stageEnded(String stage, double seconds) { stages.add("end " + stage); }
            @Override public void alignEpoch(int epoch, double distance, double lr) { assertEquals(align.size() + 1, epoch); align.add(distance); }
            @Override public void trainStep(int epoch, long step, double loss, double lr) { assertEquals(steps[0] + 1, step); steps[0] = step; assertTrue(lr >= 0 && lr <= 1e-3, "lr " + lr); }
            @Override public void epochEnded(int epoch, double trainLoss, Map<String, Double> v, double seconds) { epochLoss.add(trainLoss); validation.add(v); }
        };
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 0, 0.9, 3, 8, 1, 1.0, 1, 3, false, 0, false, 0, 5);
        var s = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 6, 16, 0, false, cfg);
        OrcaRun.Outcome o = OrcaRun.run(TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), TinyTask.body(),
                () -> AlignmentLoss.create(Objective.OTDD, TinyTask.source()), s, new Progress(null).withEvents(listener));
        assertEquals(List.of("start align", "end align", "start refine", "end refine"), stages);
        assertEquals(6, align.size());
        for (int e = 0; e < 6; e++) {
            boolean valued = e % AlignStage.VALUE_EVERY == 0 || e == 5;
            assertEquals(valued ? o.align().curve()[e] : Double.NaN, align.get(e), 0.0, "align epoch " + (e + 1));
        }
        assertEquals(3 * 4, steps[0], "32 rows in batches of 8 for 3 epochs");
        assertEquals(3, epochLoss.size());
        for (int e = 0; e < 3; e++) {
            assertEquals(o.refine().epochs().get(e).trainLoss(), epochLoss.get(e), 0.0);
            assertEquals(o.refine().epochs().get(e).validation(), validation.get(e));
        }
    }
}
