package dev.orcaj.spark;

import dev.orcaj.io.BertConfig;
import dev.orcaj.models.Bodies;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.Checkpointer;
import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.Objective;
import dev.orcaj.orca.OptimizerKind;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.RunEvents;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TrainConfig;
import dev.orcaj.tune.RungResult;
import dev.orcaj.tune.TrialRung;
import dev.orcaj.tune.TrialRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real, small {@link TrialRunner} for the Spark tests until the tune helper's runner lands: fine-tunes a tiny random
 * BERT body on a UCR task read from the shared data folder (loaded once per JVM, as a cluster runner would), with the
 * trial's learning rate. Rung r trains {@code epochs} epochs of a schedule spanning {@code maxEpochs} from the start
 * (lower rungs are retrained, not continued: that is the real runner's job); within a rung it checkpoints every
 * optimizer step under the shared workDir, so a rung rerun after an executor died continues from the last step.
 *
 * <p>What it leaves for the tests under {@code workDir/searchId/trialId}: {@code attempts-R} (one line per attempt:
 * the JVM's pid), {@code resumed-R} (an attempt that continued from a checkpoint), {@code running-R} (the pid while an
 * attempt runs) and {@code done-R} (one line per finished attempt). With the experiment flag
 * {@code fail-first-attempt-after-step} = N the first attempt of every rung throws after N optimizer steps (and their
 * checkpoint): a task failure Spark must retry, for the embedded test.
 */
final class UcrTrialRunner implements TrialRunner {
    static final BertConfig TINY_BERT = new BertConfig("bert", 16, 16, 2, 2, 32, "gelu", 16, 2, 1e-12, 0);
    /** Rungs running in this JVM now and at most so far (the embedded test checks jobs really overlap). */
    static final AtomicInteger RUNNING = new AtomicInteger(), MOST_RUNNING = new AtomicInteger();

    /** The factory that travels with each Spark task: the data spec (a shared path) and a per-step delay. */
    record Factory(String dataSpec, long stepDelayMillis) implements TrialRunnerFactory {
        @Override
        public TrialRunner create() throws IOException { return new UcrTrialRunner(TaskLoader.load(dataSpec, 0.2, 0), stepDelayMillis); }
    }

    private final TaskLoader.LoadedTask task;
    private final long stepDelayMillis;

    UcrTrialRunner(TaskLoader.LoadedTask task, long stepDelayMillis) {
        this.task = task;
        this.stepDelayMillis = stepDelayMillis;
    }

    /** The data of the tests: UCR ItalyPowerDemand (67 train rows of length 24) in the shared data folder. */
    static String italyPowerDemand() {
        Path dir = Path.of("..", "..", "shared", "data", "ucr-archive-2018", "ItalyPowerDemand").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new IllegalStateException(dir + " is missing: the Spark tests read UCR ItalyPowerDemand from the shared data folder");
        return "ucr:" + dir;
    }

    @Override
    public RungResult run(TrialRung rung) throws Exception {
        int now = RUNNING.incrementAndGet();
        MOST_RUNNING.accumulateAndGet(now, Math::max);
        try {
            return train(rung);
        } finally {
            RUNNING.decrementAndGet();
        }
    }

    private RungResult train(TrialRung rung) throws Exception {
        long seed = Long.parseLong(rung.experiment().get("seed"));
        double lr = Double.parseDouble(rung.config().get("lr"));
        Path dir = Files.createDirectories(Path.of(rung.workDir(), rung.searchId(), rung.trialId()));
        String pid = Long.toString(ProcessHandle.current().pid());
        int r = rung.rung();
        boolean firstAttempt = !Files.exists(dir.resolve("attempts-" + r));
        append(dir.resolve("attempts-" + r), pid);
        Path checkpoint = dir.resolve("rung-" + r + ".checkpoint.safetensors");
        Checkpoint.Loaded from = Files.exists(checkpoint) ? Checkpoint.read(checkpoint) : null;
        if (from != null) append(dir.resolve("resumed-" + r), pid + " at step " + from.state().refine().steps());
        Files.writeString(dir.resolve("running-" + r), pid);
        TrainConfig train = new TrainConfig(OptimizerKind.ADAMW, lr, 1e-5, 0.9, rung.epochs(), 8, 1, 1.0, 0, rung.maxEpochs(), false, 0, false, 0, seed);
        OrcaRun.Settings settings = new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 0, 0, 0, false, train);
        Checkpointer checkpoints = new Checkpointer(checkpoint, dir.resolve("rung-" + r + ".model.safetensors"), 1, Map.of("trial", rung.trialId()));
        int failAt = firstAttempt ? Integer.parseInt(rung.experiment().getOrDefault("fail-first-attempt-after-step", "0")) : 0;
        Progress progress = Progress.SILENT.withEvents(new RunEvents() {
            @Override
            public void trainStep(int epoch, long step, double loss, double lr) {
                // called before the step's update: failing at step failAt + 1 leaves the checkpoint of step failAt
                if (step == failAt + 1 && failAt > 0) throw new IllegalStateException("injected failure of the first attempt of rung " + r + " after step " + failAt);
                pause();
            }
        });
        long start = System.nanoTime();
        OrcaRun.Outcome outcome = OrcaRun.run(task.spec(), task.train(), task.val(), task.test(), () -> Bodies.random(TINY_BERT, seed), () -> null,
                settings, progress, checkpoints, from);
        double score = ModelSelection.defaults(task.spec(), task.tabular()).score(outcome.refine().validation());
        Files.deleteIfExists(dir.resolve("running-" + r));
        append(dir.resolve("done-" + r), pid);
        return new RungResult(rung.trialId(), r, rung.epochs(), score, outcome.refine().validation(), (System.nanoTime() - start) / 1e9);
    }

    /** Slows training down so a test can kill a worker mid-rung; it changes no number. */
    private void pause() {
        if (stepDelayMillis <= 0) return;
        try {
            Thread.sleep(stepDelayMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rung interrupted", e);
        }
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
