package dev.orcaj.orca;

import dev.orcaj.optim.Optimizer;
import dev.orcaj.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * When and where one run (one method, one seed) saves itself. The stages call it at optimizer-step boundaries
 * (gradients are empty there, so parameters + optimizer state + position are the whole training state): after
 * stage 2, after every stage-3 epoch but the last (the final model follows it) and, with {@code every > 0}, every {@code every} optimizer steps of either
 * stage. When the run ends, {@link #finish} writes the selected model to {@code modelFile} and removes the checkpoint.
 *
 * @param checkpointFile where the in-progress checkpoint goes (null: no checkpoints)
 * @param modelFile      where the finished model goes (null: not saved)
 * @param settings       the run's settings, stored in every file ({@link Checkpoint#SETTINGS_KEY})
 * @param runFile        a file that must still exist whenever a checkpoint or model is written (the run directory's
 *                       run.json; null: none): if the directory was deleted or replaced mid-run, the run stops instead
 *                       of silently recreating a directory that can no longer be resumed
 */
public final class Checkpointer {
    public static final Checkpointer NONE = new Checkpointer(null, null, 0, Map.of());

    private final Path checkpointFile, modelFile, runFile;
    private final int every;
    private final boolean keepFinalState;
    private final Map<String, String> settings;
    private AlignStage.Result align;

    public Checkpointer(Path checkpointFile, Path modelFile, int every, Map<String, String> settings) {
        this(checkpointFile, modelFile, every, settings, null);
    }

    public Checkpointer(Path checkpointFile, Path modelFile, int every, Map<String, String> settings, Path runFile) {
        this(checkpointFile, modelFile, every, settings, runFile, false);
    }

    private Checkpointer(Path checkpointFile, Path modelFile, int every, Map<String, String> settings, Path runFile, boolean keepFinalState) {
        if (every < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + every);
        this.checkpointFile = checkpointFile;
        this.modelFile = modelFile;
        this.every = every;
        this.runFile = runFile;
        this.settings = Map.copyOf(settings);
        this.keepFinalState = keepFinalState;
    }

    /**
     * Checkpoints of a run that may later be continued to more epochs of the same schedule (a search trial, see
     * {@link Experiment#trial}): {@code stateFile} is written once, after the run's last stage-3 epoch (last-epoch
     * weights, optimizer state, best snapshot, position), and kept when the run ends; no separate model file is
     * written. Not after stage 2 or earlier epochs: a run cut off before its end starts again from the previous state
     * with the same result, and a trial's state is the size of three models (writing it after every epoch took a
     * sixth of a short search, docs/SUITES.md).
     */
    public static Checkpointer continuable(Path stateFile, Map<String, String> settings) {
        return new Checkpointer(stateFile, null, 0, settings, null, true);
    }

    /** Whether stage 3 saves its state after an epoch: after each but the last, or for a {@link #continuable} run after the last only. */
    boolean savesAfterEpoch(boolean last) { return checkpointFile != null && last == keepFinalState; }

    /** Whether the checkpoint is due after optimizer step {@code step} (1-based, counted within the stage). */
    boolean due(int step) { return checkpointFile != null && every > 0 && step % every == 0; }

    void saveAlign(OrcaModel model, AlignStage.Position at, Optimizer opt) {
        save(model, new Checkpoint.State(Checkpoint.Stage.ALIGN, at, null, null, null), opt.stateDict(), Map.of());
    }

    /** Stage 2 finished: remembered for later stage-3 checkpoints, and saved as the start of stage 3. */
    void alignDone(OrcaModel model, AlignStage.Result result) {
        align = result;
        if (!keepFinalState) save(model, Checkpoint.State.refineStart(result), Map.of(), Map.of());
    }

    /** A run resumed in stage 3 carries the stage-2 result of the interrupted process into its checkpoints. */
    void resumedAfterAlign(AlignStage.Result result) { align = result; }

    void saveRefine(OrcaModel model, RefineStage.Position at, Optimizer opt, Map<String, Tensor> best) {
        save(model, new Checkpoint.State(Checkpoint.Stage.REFINE, null, align, at, null), opt.stateDict(), best == null ? Map.of() : best);
    }

    /** The run is over: the selected model goes to the model file (with the outcome), the checkpoint is removed. */
    void finish(OrcaModel model, OrcaRun.Outcome outcome) {
        requirePresent(runFile);
        try {
            if (modelFile != null) Checkpoint.write(modelFile, model, new Checkpoint.State(Checkpoint.Stage.DONE, null, outcome.align(), null, outcome), Map.of(), Map.of(), settings);
            if (checkpointFile != null && !keepFinalState) Files.deleteIfExists(checkpointFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private void save(OrcaModel model, Checkpoint.State state, Map<String, Tensor> optimizer, Map<String, Tensor> best) {
        if (checkpointFile == null) return;
        requirePresent(runFile);
        try {
            Checkpoint.write(checkpointFile, model, state, optimizer, best, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + checkpointFile + ": " + e.getMessage(), e);
        }
    }

    /** Throws unless {@code runFile} (null: no check) still exists. */
    public static void requirePresent(Path runFile) {
        if (runFile != null && !Files.isRegularFile(runFile)) {
            throw new IllegalStateException(runFile + " has disappeared: the run directory was deleted or replaced while the run was in progress; "
                    + "stopping rather than writing into it (start the run again)");
        }
    }
}
