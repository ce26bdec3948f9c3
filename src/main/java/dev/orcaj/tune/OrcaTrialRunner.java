package dev.orcaj.tune;

import dev.orcaj.models.Body;
import dev.orcaj.orca.AlignmentLoss;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.Checkpointer;
import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.OrcaRun;
import dev.orcaj.orca.PatchPlan;
import dev.orcaj.orca.Progress;
import dev.orcaj.orca.RefineStage;
import dev.orcaj.orca.RunEvents;
import dev.orcaj.orca.TaskSpec;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains one rung with the real engine: the trial's run ({@link OrcaRun}, one method, one seed, stage 3 spanning R
 * epochs) goes on from the trial's checkpoint in its work directory and stops once the rung's epochs are done; the
 * checkpoint written after that epoch is where the next rung continues. So a trial promoted through every rung
 * trains exactly as one uninterrupted R-epoch run (the engine's resume is bitwise), and a rung cut off by a crash
 * reruns from the last epoch checkpoint. The rung's score is the selection score (higher is better) of the
 * best-validated epoch so far, i.e. of the model the run would deliver if it stopped here.
 *
 * <p>Stopping: the engine's stage 3 has no "stop after epoch e" switch yet, so the runner ends the run from its event
 * listener at the first optimizer step past the rung's last epoch (one batch of work is thrown away); the checkpoint
 * of the epoch boundary is already on disk then.
 */
public final class OrcaTrialRunner implements TrialRunner {
    public static final String CHECKPOINT = "checkpoint.safetensors", MODEL = "model.safetensors";

    private final Function<Map<String, String>, TrialSetup> setup;
    private final PrintStream out;

    /** @param setup resolves run flags into a trial setup; @param out where the run's progress goes (null: nowhere) */
    public OrcaTrialRunner(Function<Map<String, String>, TrialSetup> setup, PrintStream out) {
        this.setup = setup;
        this.out = out;
    }

    /** Thrown from the event listener to end a run at the rung's budget. */
    private static final class BudgetReached extends RuntimeException {
        BudgetReached() { super(null, null, false, false); }
    }

    @Override
    public RungResult run(TrialRung rung) throws Exception {
        long start = System.nanoTime();
        Map<String, String> flags = new LinkedHashMap<>(rung.experiment());
        flags.putAll(rung.config());
        flags.put("--epochs", Integer.toString(rung.maxEpochs()));
        flags.put("--decay-epochs", Integer.toString(rung.maxEpochs()));
        TrialSetup s = setup.apply(flags);
        ModelSelection selection = s.settings().train().selection() != null ? s.settings().train().selection() : ModelSelection.defaults(s.task().spec(), s.task().tabular());
        Path dir = Path.of(rung.workDir());
        Files.createDirectories(dir);
        Path checkpoint = dir.resolve(CHECKPOINT), model = dir.resolve(MODEL);
        if (Files.exists(model)) { // the trial finished its R epochs (a rerun after a crash between the model write and the store)
            Checkpoint.Loaded m = Checkpoint.read(model);
            if (m.state().stage() == Checkpoint.Stage.DONE && rung.epochs() == rung.maxEpochs()) {
                return result(rung, m.state().outcome().refine().validation(), selection, start);
            }
            throw new IllegalStateException(model + ": trial " + rung.trialId() + " already finished all " + rung.maxEpochs() + " epochs; rung " + rung.rung() + " asks for " + rung.epochs());
        }
        Checkpoint.Loaded from = Files.exists(checkpoint) ? Checkpoint.read(checkpoint) : null;
        if (from != null && from.state().stage() == Checkpoint.Stage.REFINE) {
            RefineStage.Position at = from.state().refine();
            int done = at.epoch() - 1;
            if (done > rung.epochs() || (done == rung.epochs() && at.batch() > 0)) {
                throw new IllegalStateException(checkpoint + ": trial " + rung.trialId() + " is past rung " + rung.rung() + " (" + rung.epochs() + " epochs): at epoch " + at.epoch() + ", batch " + at.batch());
            }
            if (done == rung.epochs()) return result(rung, at.bestValidation(), selection, start); // cut off after its checkpoint
        }
        Body body = from == null ? s.bodies().get() : null;
        OrcaRun.Settings settings = from == null ? withPatch(s.settings(), patch(s.task().spec(), body, s.targetSeqLen(), s.settings().patch())) : s.settings();
        RunEvents stopper = new RunEvents() {
            @Override
            public void trainStep(int epoch, long step, double loss, double lr) {
                if (epoch > rung.epochs()) throw new BudgetReached();
            }
        };
        Progress progress = new Progress(out).withEvents(stopper);
        try {
            OrcaRun.Outcome o = OrcaRun.run(s.task().spec(), s.task().train(), s.task().val(), s.task().test(), () -> body != null ? body : s.bodies().get(),
                    () -> AlignmentLoss.create(s.objective(), s.source().apply(s.bodies().get())), settings, progress,
                    new Checkpointer(checkpoint, model, 0, s.flags()), from);
            return result(rung, o.refine().validation(), selection, start);
        } catch (BudgetReached stop) {
            Checkpoint.Loaded at = Checkpoint.read(checkpoint);
            if (at.state().stage() != Checkpoint.Stage.REFINE || at.state().refine().epoch() != rung.epochs() + 1 || at.state().refine().batch() != 0) {
                throw new IllegalStateException(checkpoint + ": expected the checkpoint after epoch " + rung.epochs() + " of trial " + rung.trialId());
            }
            return result(rung, at.state().refine().bestValidation(), selection, start);
        }
    }

    /**
     * The patch k for a target sequence length (spec 1.1): the smallest divisor of the input length giving at most
     * min(target, the body's limit) tokens. 2D tasks and bodies with their own patch (Swin) ignore the target.
     */
    public static int patch(TaskSpec task, Body body, int targetSeqLen, int explicit) {
        if (targetSeqLen <= 0 || task.is2d() || body.patchSize() != 0) return explicit;
        return PatchPlan.choose(task.spatial(), Math.min(targetSeqLen, body.sequenceLimit()), 0).k();
    }

    private static OrcaRun.Settings withPatch(OrcaRun.Settings s, int patch) {
        return new OrcaRun.Settings(s.method(), s.objective(), s.alignEpochs(), s.maxSamples(), patch, s.pooledDense(), s.train(), s.warmInit());
    }

    private static RungResult result(TrialRung rung, Map<String, Double> validation, ModelSelection selection, long start) {
        return new RungResult(rung.trialId(), rung.rung(), rung.epochs(), selection.score(validation), validation, (System.nanoTime() - start) / 1e9);
    }
}
