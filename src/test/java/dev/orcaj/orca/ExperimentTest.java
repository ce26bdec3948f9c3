package dev.orcaj.orca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Experiment}: seeds x methods in a run directory, resume, per-run listeners, and search trials continued to more epochs. */
class ExperimentTest {
    static final TaskLoader.LoadedTask TASK = new TaskLoader.LoadedTask(TinyTask.SPEC, TinyTask.data(32, 1), TinyTask.data(8, 2), TinyTask.data(8, 3), false, "tiny");

    @TempDir
    Path tmp;

    static Experiment.Settings settings(List<OrcaRun.Method> methods, int seeds, int epochs) {
        // dropout > 0: the per-batch dropout reseeding is part of what a continued trial must reproduce
        TrainConfig cfg = new TrainConfig(OptimizerKind.ADAMW, 1e-3, 1e-5, 0.9, epochs, 8, 1, 1.0, 1, epochs, false, 0.1, false, 0, 5);
        return new Experiment.Settings(methods, 5, seeds, Objective.OTDD, 3, 16, 0, false, false, cfg);
    }

    static Experiment experiment(Experiment.Settings s) {
        return new Experiment(TASK, "tiny", TinyTask.body(), null, s).withSource(TinyTask.source()).withLog(null);
    }

    static Experiment.Output output(Path dir, boolean resume) {
        return new Experiment.Output(dir, resume, 0, Map.of("--seed", "5"), Set.of(), null);
    }

    @Test
    void runsEveryMethodWithEverySeedWritesItsFilesAndResumesFinishedRuns() throws Exception {
        Map<Experiment.RunKey, List<String>> events = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
        Experiment e = experiment(settings(List.of(OrcaRun.Method.ORCA, OrcaRun.Method.FINETUNE), 2, 2)).withListeners(key -> {
            List<String> mine = new ArrayList<>();
            assertNull(events.put(key, mine), "one listener per run key: " + key);
            return new RunEvents() {
                @Override public void stageStarted(String stage) { mine.add("start " + stage); }
                @Override public void epochEnded(int epoch, double trainLoss, Map<String, Double> validation, double seconds) { mine.add("epoch " + epoch); }
            };
        });
        Path dir = tmp.resolve("run");
        Experiment.Result r = e.run(output(dir, false));

        List<String> keys = r.runs().stream().map(x -> x.key().name() + "-" + x.key().seed()).toList();
        assertEquals(List.of("orca-5", "finetune-5", "orca-6", "finetune-6"), keys, "seeds outside, methods inside");
        assertEquals(r.runs().stream().map(Experiment.RunResult::key).toList(), List.copyOf(events.keySet()), "the listener factory is asked once per run, in order");
        assertEquals(List.of("start align", "start refine", "epoch 1", "epoch 2"), events.get(new Experiment.RunKey("orca", OrcaRun.Method.ORCA, 5)));
        assertEquals(List.of("start refine", "epoch 1", "epoch 2"), events.get(new Experiment.RunKey("finetune", OrcaRun.Method.FINETUNE, 6)));
        for (Experiment.RunResult run : r.runs()) {
            assertEquals(dir.resolve("models").resolve(run.key().name() + "-seed" + run.key().seed() + ".safetensors"), run.model());
            assertTrue(Files.isRegularFile(run.model()), run.model().toString());
            assertFalse(run.earlier());
            assertEquals(2, run.outcome().refine().epochs().size());
        }
        assertNotEquals(r.runs().get(0).outcome().refine().test(), r.runs().get(2).outcome().refine().test(), "different seeds, different runs");
        assertTrue(Files.isRegularFile(dir.resolve(RunFile.NAME)));
        assertTrue(Files.isRegularFile(r.report()));
        JsonNode metrics = new ObjectMapper().readTree(r.metrics().toFile());
        assertEquals(4, metrics.path("runs").size());
        assertEquals("otdd", metrics.path("settings").path("objective").asText(), "the typed objective is written as its flag text");
        assertEquals("adamw", metrics.path("settings").path("optimizer").asText());
        assertEquals(r.runs().get(3).outcome().refine().test().get("accuracy"), metrics.path("runs").get(3).path("test").path("accuracy").asDouble(), 0.0);
        try (var left = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(0, left.count(), "finished runs leave no checkpoint");
        }

        Experiment.Result again = e.run(output(dir, true));
        for (int i = 0; i < 4; i++) {
            assertTrue(again.runs().get(i).earlier(), "resumed: run " + i + " was taken from its model file");
            assertEquals(r.runs().get(i).outcome().refine().test(), again.runs().get(i).outcome().refine().test());
        }
    }

    /** Without flags: the experiment records its own typed settings, and a resume under other settings sets the finished model aside. */
    /**
     * The report draws the test outputs stage 3 computed for its reported model, not a second prediction from the
     * saved model: both are bitwise the same (the test split fits one evaluation chunk), and the outputs stay out of
     * the saved outcome (a resumed, finished run predicts from its model file again).
     */
    /** A suite cell's output: the same runs and numbers, written as metrics and report only, and refused as a resume. */
    @Test
    void anOutputWithoutModelsRunsTheSameAndWritesNoCheckpointOrModel() throws Exception {
        Experiment.Settings s = settings(List.of(OrcaRun.Method.ORCA, OrcaRun.Method.FINETUNE), 1, 2);
        Experiment.Result saved = experiment(s).run(output(tmp.resolve("saved"), false));
        Path dir = tmp.resolve("unsaved");
        Experiment.Result unsaved = experiment(s).run(output(dir, false).withoutModels());
        for (int i = 0; i < 2; i++) {
            assertEquals(saved.runs().get(i).outcome().refine().test(), unsaved.runs().get(i).outcome().refine().test());
            assertEquals(saved.runs().get(i).outcome().refine().epochs().size(), unsaved.runs().get(i).outcome().refine().epochs().size());
            assertNull(unsaved.runs().get(i).model());
        }
        assertTrue(Files.isRegularFile(unsaved.metrics()) && Files.isRegularFile(unsaved.report()));
        assertFalse(Files.exists(dir.resolve("models")) || Files.exists(dir.resolve("checkpoints")), "no models or checkpoints written");
        var e = assertThrows(IllegalArgumentException.class, () -> new Experiment.Output(dir, true, 0, Map.of(), Set.of(), null, false));
        assertTrue(e.getMessage().contains("cannot be resumed"), e.getMessage());
    }

    @Test
    void reportPredictionsAreTheSavedModelsTestOutputs() throws Exception {
        Experiment.Result r = experiment(settings(List.of(OrcaRun.Method.FINETUNE, OrcaRun.Method.SCRATCH), 1, 3)).run(output(tmp.resolve("run"), false));
        for (Experiment.RunResult run : r.runs()) {
            ReportPredictions kept = run.outcome().refine().predictions(), again = ReportPredictions.ofSavedModel(run.model(), TASK.spec(), TASK.test());
            assertNotNull(kept, run.key().name());
            assertArrayEquals(again.rows(), kept.rows());
            assertArrayEquals(again.outputs(), kept.outputs(), run.key().name() + ": outputs of the reported model");
            assertNull(Checkpoint.read(run.model()).state().outcome().refine().predictions(), "not written into the model file");
        }
    }

    /**
     * The body the source proxy read serves the first run instead of a new load: the runs are bitwise those of an
     * experiment given the same features up front (every run on a newly loaded body), with one body load fewer.
     */
    @Test
    void theSourceProxysBodyServesTheFirstRunAsAFreshOne() throws Exception {
        // MiniLM's vocabulary (the built-in tokenizer), a tiny width
        dev.orcaj.io.BertConfig cfg = new dev.orcaj.io.BertConfig("bert", 30522, 16, 2, 2, 32, "gelu", 40, 2, 1e-12, 0);
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<dev.orcaj.models.Body> bodies = () -> { loads.incrementAndGet(); return dev.orcaj.models.Bodies.random(cfg, 7); };
        SourceSpec spec = new SourceSpec("wordnet", 3, 30, 16, null, tmp.resolve("cache"));
        Experiment.Settings s = settings(List.of(OrcaRun.Method.ORCA, OrcaRun.Method.FINETUNE), 1, 2);
        Experiment spared = new Experiment(TASK, SourceSpec.BUILTIN_BODY, bodies, spec, s).withLog(null);
        Experiment.Result a = spared.run(output(tmp.resolve("a"), false));
        assertEquals(2, loads.get(), "one body for the source proxy and orca, one for finetune");
        SourceFeatures features = spec.features(bodies.get(), SourceSpec.BUILTIN_BODY, s.seed(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        loads.set(0);
        Experiment.Result b = new Experiment(TASK, SourceSpec.BUILTIN_BODY, bodies, spec, s).withSource(features).withLog(null).run(output(tmp.resolve("b"), false));
        assertEquals(2, loads.get());
        for (int i = 0; i < 2; i++) {
            RefineStage.Result ra = a.runs().get(i).outcome().refine(), rb = b.runs().get(i).outcome().refine();
            assertEquals(rb.test(), ra.test(), a.runs().get(i).key().name());
            assertArrayEquals(rb.predictions().outputs(), ra.predictions().outputs(), a.runs().get(i).key().name());
        }
        assertEquals(b.runs().getFirst().outcome().align().after(), a.runs().getFirst().outcome().align().after());
    }

    /** The scratch baseline takes its body from {@link Experiment#withScratchBodies}; the run is that of a pretrained body reinitialized. */
    @Test
    void scratchRunsTakeTheirBodyFromTheScratchSupplier() throws Exception {
        java.util.concurrent.atomic.AtomicInteger unread = new java.util.concurrent.atomic.AtomicInteger();
        Experiment.Settings s = settings(List.of(OrcaRun.Method.SCRATCH), 1, 2);
        Experiment.Result plain = experiment(s).run(output(tmp.resolve("plain"), false));
        Experiment.Result shortcut = experiment(s).withScratchBodies(() -> {
            unread.incrementAndGet();
            return dev.orcaj.models.bert.BertModel.unloaded(TinyTask.CONFIG, true);
        }).run(output(tmp.resolve("shortcut"), false));
        assertEquals(1, unread.get());
        RefineStage.Result a = plain.runs().getFirst().outcome().refine(), b = shortcut.runs().getFirst().outcome().refine();
        assertEquals(a.test(), b.test());
        assertArrayEquals(a.predictions().outputs(), b.predictions().outputs());
    }

    @Test
    void ownOutputResumesOnlyTheSameExperiment() throws Exception {
        Path dir = tmp.resolve("own");
        Experiment e = experiment(settings(List.of(OrcaRun.Method.FINETUNE), 1, 1));
        Experiment.Result first = e.run(e.output(dir, false));
        assertTrue(e.run(e.output(dir, true)).runs().getFirst().earlier());
        Experiment other = experiment(settings(List.of(OrcaRun.Method.FINETUNE), 1, 1).with(hp()));
        Experiment.Result redone = other.run(other.output(dir, true));
        assertFalse(redone.runs().getFirst().earlier(), "a model of other settings is not this run's result");
        assertNotEquals(first.runs().getFirst().outcome().refine().epochs(), redone.runs().getFirst().outcome().refine().epochs());
    }

    /** A closeable listener is closed after its run, also when the run fails. */
    @Test
    void closeableListenersAreClosedWhenTheirRunEnds() throws Exception {
        List<String> closed = new ArrayList<>();
        class Closing implements RunEvents, AutoCloseable {
            final Experiment.RunKey key;
            int epochs;
            Closing(Experiment.RunKey key) { this.key = key; }
            @Override public void epochEnded(int epoch, double trainLoss, Map<String, Double> validation, double seconds) { epochs++; }
            @Override public void close() { closed.add(key.name() + " after " + epochs + " epochs"); }
        }
        experiment(settings(List.of(OrcaRun.Method.FINETUNE, OrcaRun.Method.SCRATCH), 1, 1)).withListeners(Closing::new).run(output(tmp.resolve("closing"), false));
        assertEquals(List.of("finetune after 1 epochs", "scratch after 1 epochs"), closed);

        closed.clear();
        Experiment failing = experiment(settings(List.of(OrcaRun.Method.FINETUNE), 1, 2)).withListeners(key -> new Closing(key) {
            @Override public void epochEnded(int epoch, double trainLoss, Map<String, Double> validation, double seconds) { throw new IllegalStateException("stop"); }
        });
        assertThrows(IllegalStateException.class, () -> failing.run(output(tmp.resolve("failing"), false)));
        assertEquals(List.of("finetune after 0 epochs"), closed);
    }

    @Test
    void resumeRefusesACheckpointWrittenUnderOtherSettings() throws Exception {
        Path dir = tmp.resolve("other");
        Experiment e = experiment(settings(List.of(OrcaRun.Method.FINETUNE), 1, 2));
        Experiment.RunKey key = e.settings().key(OrcaRun.Method.FINETUNE, 5);
        e.run(output(dir, false));
        // a checkpoint left in the directory from a run under other settings
        Files.createDirectories(dir.resolve("checkpoints"));
        OrcaModel m = OrcaRun.build(TinyTask.SPEC, TinyTask.body().get(), e.settings().forRun(OrcaRun.Method.FINETUNE, 5), Progress.SILENT);
        Checkpoint.write(Experiment.checkpointFile(dir, key), m, Checkpoint.State.refineStart(null), Map.of(), Map.of(), Map.of("--seed", "7"));
        Files.delete(Experiment.modelFile(dir, key));
        var ex = assertThrows(IllegalArgumentException.class, () -> e.run(output(dir, true)));
        assertTrue(ex.getMessage().contains("was written with --seed 7, but the run now has 5"), ex.getMessage());
    }

    static Experiment.Hyperparameters hp() { return new Experiment.Hyperparameters(OptimizerKind.ADAM, 2e-3, 1e-4, 8, 0.5, 0.1, 0); }

    /**
     * A trial trained to 1 epoch of a 3-epoch schedule, then continued to 2 and to 3, ends bitwise where one trial of
     * 3 epochs ends: same metrics every epoch, same best epoch, same state file. And that is also what a plain
     * 3-epoch run (decay over the same 3 epochs) reports: the best-epoch snapshot travels with the trial state.
     */
    @Test
    void trialContinuedToMoreEpochsEqualsOneUninterruptedTrialAndThePlainRun() throws Exception {
        for (OrcaRun.Method method : List.of(OrcaRun.Method.ORCA, OrcaRun.Method.FINETUNE)) {
            List<Integer> trained = new ArrayList<>();
            Experiment e = experiment(settings(List.of(method), 1, 3)).withListeners(key -> new RunEvents() {
                @Override public void epochEnded(int epoch, double trainLoss, Map<String, Double> validation, double seconds) { trained.add(epoch); }
            });
            Path stepwise = tmp.resolve("stepwise-" + method), whole = tmp.resolve("whole-" + method);
            Experiment.TrialResult r1 = e.trial(new Experiment.Trial(method, 5, hp(), 1, 3, stepwise));
            assertEquals(1, r1.outcome().refine().epochs().size());
            Experiment.TrialResult r2 = e.trial(new Experiment.Trial(method, 5, hp(), 2, 3, stepwise));
            Experiment.TrialResult r3 = e.trial(new Experiment.Trial(method, 5, hp(), 3, 3, stepwise));
            assertEquals(List.of(1, 2, 3), trained, "each call trains only the epochs its budget adds");
            Experiment.TrialResult once = e.trial(new Experiment.Trial(method, 5, hp(), 3, 3, whole));

            assertEquals(3, r3.outcome().refine().epochs().size());
            for (int i = 0; i < 3; i++) {
                assertEquals(once.outcome().refine().epochs().get(i).trainLoss(), r3.outcome().refine().epochs().get(i).trainLoss(), method + " train loss of epoch " + (i + 1));
                assertEquals(once.outcome().refine().epochs().get(i).validation(), r3.outcome().refine().epochs().get(i).validation());
            }
            assertEquals(r1.outcome().refine().epochs().getFirst(), r3.outcome().refine().epochs().getFirst(), "epoch 1 is not trained again");
            assertEquals(r2.outcome().refine().epochs().get(1), r3.outcome().refine().epochs().get(1));
            assertEquals(once.score(), r3.score(), 0.0);
            assertEquals(once.validation(), r3.validation());
            assertEquals(once.outcome().refine().bestEpoch(), r3.outcome().refine().bestEpoch());
            assertEquals(once.outcome().refine().test(), r3.outcome().refine().test());
            assertSameTensors(once.state(), r3.state());
            assertTrue(r1.score() <= r3.score(), "the best-so-far score never falls: " + r1.score() + " -> " + r3.score());
            assertEquals(new ModelSelection("accuracy", null).score(r3.validation()), r3.score(), 0.0, "the score is the selection metric of the best epoch");
            if (method == OrcaRun.Method.ORCA) assertEquals(once.outcome().align().after(), r3.outcome().align().after(), 0.0, "stage 2 ran once, before rung 1");

            Experiment plain = experiment(settings(List.of(method), 1, 3).with(hp()));
            OrcaRun.Outcome p = plain.run(output(tmp.resolve("plain-" + method), false)).runs().getFirst().outcome();
            assertEquals(p.refine().test(), r3.outcome().refine().test(), "the plain run of 3 epochs decaying over 3");
            assertEquals(p.refine().bestEpoch(), r3.outcome().refine().bestEpoch());
            assertEquals(p.refine().validation(), r3.validation());
        }
    }

    /** Two trials at once on two threads (one shared CPU pool) end exactly as when run one after the other. */
    @Test
    void concurrentTrialsEqualSequentialOnes() throws Exception {
        Experiment e = experiment(settings(List.of(OrcaRun.Method.ORCA, OrcaRun.Method.FINETUNE), 1, 2));
        var other = new Experiment.Hyperparameters(OptimizerKind.SGD, 1e-2, 0, 4, 0, 0, 0);
        Experiment.TrialResult a = e.trial(new Experiment.Trial(OrcaRun.Method.ORCA, 5, hp(), 2, 2, tmp.resolve("seq-a")));
        Experiment.TrialResult b = e.trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 6, other, 2, 2, tmp.resolve("seq-b")));
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var fa = pool.submit(() -> e.trial(new Experiment.Trial(OrcaRun.Method.ORCA, 5, hp(), 2, 2, tmp.resolve("par-a"))));
            var fb = pool.submit(() -> e.trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 6, other, 2, 2, tmp.resolve("par-b"))));
            Experiment.TrialResult pa = fa.get(), pb = fb.get();
            assertEquals(a.outcome().refine().test(), pa.outcome().refine().test());
            assertEquals(b.outcome().refine().test(), pb.outcome().refine().test());
            assertSameTensors(a.state(), pa.state());
            assertSameTensors(b.state(), pb.state());
        }
    }

    @Test
    void trialRefusesAnotherTrialsStateAndASmallerBudget() throws Exception {
        Experiment e = experiment(settings(List.of(OrcaRun.Method.FINETUNE), 1, 3));
        Path dir = tmp.resolve("trial");
        e.trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 5, hp(), 2, 3, dir));
        var smaller = assertThrows(IllegalArgumentException.class, () -> e.trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 5, hp(), 1, 3, dir)));
        assertTrue(smaller.getMessage().contains("has trained 2 epochs, more than the budget of 1"), smaller.getMessage());
        var otherLr = new Experiment.Hyperparameters(OptimizerKind.ADAM, 1e-3, 1e-4, 8, 0.5, 0.1, 0);
        var other = assertThrows(IllegalArgumentException.class, () -> e.trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 5, otherLr, 3, 3, dir)));
        assertTrue(other.getMessage().contains("belongs to another trial"), other.getMessage());
        var otherSchedule = assertThrows(IllegalArgumentException.class, () -> e.trial(new Experiment.Trial(OrcaRun.Method.FINETUNE, 5, hp(), 3, 4, dir)));
        assertTrue(otherSchedule.getMessage().contains("belongs to another trial"), otherSchedule.getMessage());
    }

    static void assertSameTensors(Path a, Path b) throws Exception {
        Map<String, NdArray> ta = Safetensors.read(a).tensors(), tb = Safetensors.read(b).tensors();
        assertEquals(ta.keySet(), tb.keySet());
        for (String n : ta.keySet()) {
            if (ta.get(n).dtype() == dev.orcaj.io.DType.F64) assertArrayEquals(ta.get(n).toDoubles(), tb.get(n).toDoubles(), n);
            else assertArrayEquals(ta.get(n).toFloats(), tb.get(n).toFloats(), n);
        }
    }
}
