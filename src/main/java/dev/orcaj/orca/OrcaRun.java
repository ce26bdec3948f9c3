package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.models.Body;

import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One end-to-end run of a method on a task: ORCA (stage 1 + stage 2 alignment + stage 3 refinement), the plain
 * fine-tuning baseline (no stage 2) or training from scratch (the same architecture, body re-initialized).
 * LayerNorm-only refinement (FPT) is a {@link TrainConfig} switch and combines with any of them.
 */
public final class OrcaRun {

    public enum Method {
        ORCA, FINETUNE, SCRATCH;

        public static Method parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "orca" -> ORCA;
                case "finetune", "fine-tune", "plain" -> FINETUNE;
                case "scratch", "from-scratch" -> SCRATCH;
                default -> throw new IllegalArgumentException("method: expected orca, finetune or scratch, got '" + s + "'");
            };
        }
    }

    /**
     * @param objective   the stage-2 distance
     * @param alignEpochs embedder epochs (= optimizer steps) of stage 2
     * @param maxSamples  rows per target class per stage-2 step
     * @param patch       embedder kernel k; 0 chooses it (smallest divisor that fits the body's sequence limit)
     * @param pooledDense use the official code's parameter-free dense head instead of the paper's linear head
     * @param warmInit    warm-start the fine-tuning baseline's embedder as ORCA's (the appendix's "fine-tuning (warm
     *                    init)" ablation); by default it starts cold as in the official code (see {@link Embedder})
     */
    public record Settings(Method method, Objective objective, int alignEpochs, int maxSamples, int patch, boolean pooledDense, TrainConfig train, boolean warmInit) {
        public Settings(Method method, Objective objective, int alignEpochs, int maxSamples, int patch, boolean pooledDense, TrainConfig train) {
            this(method, objective, alignEpochs, maxSamples, patch, pooledDense, train, false);
        }

        /** ORCA always warm-starts the embedder it then aligns (spec 1.1, 1.2: embedder_epochs > 0). */
        public boolean warmEmbedder() { return method == Method.ORCA || warmInit; }
    }

    public record Outcome(Method method, AlignStage.Result align, RefineStage.Result refine, int patch, int tokens, long parameters) {}

    private OrcaRun() {}

    /** {@code body} must supply a fresh pretrained body each call; {@code source} may be null unless the method is ORCA. */
    public static Outcome run(TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, Supplier<Body> body,
                              Supplier<AlignmentLoss> objective, Settings s, Progress progress) {
        return run(task, train, val, test, body, objective, s, progress, Checkpointer.NONE, null);
    }

    /**
     * As above, saving checkpoints through {@code checkpoints}. With {@code from} (stage ALIGN or REFINE) the run
     * continues from that checkpoint: its parameters replace the fresh model and the stages skip what it has done.
     */
    public static Outcome run(TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, Supplier<Body> body,
                              Supplier<AlignmentLoss> objective, Settings s, Progress progress, Checkpointer checkpoints, Checkpoint.Loaded from) {
        checkData(task, train, "train");
        checkData(task, val, "validation");
        checkData(task, test, "test");
        Checkpoint.Stage stage = from == null ? Checkpoint.Stage.ALIGN : from.state().stage();
        if (stage == Checkpoint.Stage.DONE) throw new IllegalArgumentException(from.file() + ": this run has already finished");
        boolean aligns = s.method() == Method.ORCA && s.alignEpochs() > 0;
        if (from != null && stage == Checkpoint.Stage.ALIGN && !aligns) throw new IllegalArgumentException(from.file() + ": checkpoint is in stage 2, but method " + s.method() + " has no alignment stage");
        OrcaModel model = from == null ? fresh(task, body.get(), train, s, progress) : fromCheckpoint(from, task, s, progress);
        requireFits(model, s, train, progress);
        AlignStage.Result align = from == null ? null : from.state().alignResult();
        if (aligns && stage == Checkpoint.Stage.ALIGN) {
            align = alignStage(model, train, objective, s, progress, checkpoints, from);
            checkpoints.alignDone(model, align);
        } else {
            checkpoints.resumedAfterAlign(align);
        }
        return refine(model, align, task, train, val, test, s, progress, checkpoints, stage == Checkpoint.Stage.REFINE ? from : null);
    }

    /**
     * Stage 3 of an ORCA run whose stages 1 and 2 already ran under the same settings ({@link #align}: the winner of
     * {@code --body auto}, aligned while the candidates were compared), so they are not run again.
     */
    public static Outcome runAligned(TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, Aligned aligned, Settings s, Progress progress,
                                     Checkpointer checkpoints) {
        if (s.method() != Method.ORCA) throw new IllegalArgumentException("an aligned model continues an ORCA run, not " + s.method());
        checkData(task, val, "validation");
        checkData(task, test, "test");
        progress.info("stage 2: taken from the body selection (" + s.objective() + String.format(java.util.Locale.ROOT, " before %.5g, after %.5g)",
                aligned.result().before(), aligned.result().after()));
        requireFits(aligned.model(), s, train, progress);
        progress.events().stageStarted("align");
        AlignStage.replay(aligned.result(), s.train(), progress.events());
        progress.events().stageEnded("align", aligned.result().seconds());
        checkpoints.alignDone(aligned.model(), aligned.result());
        return refine(aligned.model(), aligned.result(), task, train, val, test, s, progress, checkpoints, null);
    }

    private static void requireFits(OrcaModel model, Settings s, ArrayDataset train, Progress progress) {
        MemoryEstimate memory = MemoryEstimate.of(model, s.train(), train.size());
        progress.info(memory.describe());
        memory.requireFits();
    }

    private static Outcome refine(OrcaModel model, AlignStage.Result align, TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, Settings s,
                                  Progress progress, Checkpointer checkpoints, Checkpoint.Loaded from) {
        progress.startStage("stage 3: refine (" + s.method().name().toLowerCase() + (s.train().layerNormOnly() ? ", layernorm only" : "") + ")");
        progress.events().stageStarted("refine");
        RefineStage.Result refine = RefineStage.run(model, task, train, val, test, s.train(), progress, checkpoints, from);
        progress.events().stageEnded("refine", refine.seconds());
        Outcome outcome = new Outcome(s.method(), align, refine, model.embedder.plan.k(), model.embedder.plan.tokens(), model.parameterCount());
        checkpoints.finish(model, outcome);
        return outcome;
    }

    /** Stage 1 + stage 2 only (the {@code orca align} command): the aligned model, its predictor still untrained. */
    public record Aligned(OrcaModel model, AlignStage.Result result) {}

    public static Aligned align(TaskSpec task, ArrayDataset train, Supplier<Body> body, Supplier<AlignmentLoss> objective, Settings s, Progress progress) {
        checkData(task, train, "train");
        OrcaModel model = fresh(task, body.get(), train, s, progress);
        return new Aligned(model, alignStage(model, train, objective, s, progress, Checkpointer.NONE, null));
    }

    /** Stage 1 for a run: {@link #build}, and a dense regression head's target normalizer fitted on {@code train}. */
    private static OrcaModel fresh(TaskSpec task, Body b, ArrayDataset train, Settings s, Progress progress) {
        OrcaModel model = build(task, b, s, progress);
        model.predictor.fitTargetNormalizer(train.targets());
        return model;
    }

    /** Stage 1: the embedder and predictor for the task around a fresh body (re-initialized for the scratch baseline). */
    static OrcaModel build(TaskSpec task, Body b, Settings s, Progress progress) {
        long seed = s.train().seed();
        if (s.method() == Method.SCRATCH) b.reinitialize(seed);
        SplittableRandom rng = new SplittableRandom(seed);
        Embedder embedder = new Embedder(task, b, s.patch(), rng, s.warmEmbedder());
        Predictor predictor = new Predictor(task, embedder.plan, b, s.pooledDense(), rng);
        return withDropout(new OrcaModel(embedder, b, predictor), s, progress);
    }

    private static OrcaModel fromCheckpoint(Checkpoint.Loaded from, TaskSpec task, Settings s, Progress progress) {
        from.requireTask(task, "the task data");
        return withDropout(from.model(), s, progress);
    }

    private static OrcaModel withDropout(OrcaModel model, Settings s, Progress progress) {
        TrainConfig t = s.train();
        if (t.dropout() > 0) model.body.setDropout(t.dropout(), t.dropout()); // 0 keeps the body's own
        model.body.setDropPathRate(t.dropPath() >= 0 ? t.dropPath() : model.body.defaultDropPathRate());
        progress.info("task " + model.predictor.task + ": patch k=" + model.embedder.plan.k() + ", " + model.embedder.plan.tokens() + " tokens; method " + s.method());
        model.to(dev.orcaj.backend.Backends.modelDevice()); // --device: parameters (and so the stages' ops and optimizer state) live there
        return model;
    }

    private static AlignStage.Result alignStage(OrcaModel model, ArrayDataset train, Supplier<AlignmentLoss> objective, Settings s, Progress progress,
                                                Checkpointer checkpoints, Checkpoint.Loaded from) {
        progress.startStage("stage 2: align embedder (" + s.objective() + ")");
        progress.events().stageStarted("align");
        AlignStage.Result align = AlignStage.run(model, train, objective.get(), s.alignEpochs(), s.maxSamples(), s.train(), s.train().seed(), progress, checkpoints, from);
        progress.info(String.format(java.util.Locale.ROOT, "  %s before %.5g, after %.5g", s.objective(), align.before(), align.after()));
        progress.events().stageEnded("align", align.seconds());
        return align;
    }

    private static void checkData(TaskSpec task, ArrayDataset d, String split) {
        if (d.size() == 0) throw new IllegalArgumentException(split + " split of task '" + task.name() + "' is empty");
        if (!java.util.Arrays.equals(d.sampleShape(), task.inputShape())) {
            throw new IllegalArgumentException(split + " split of task '" + task.name() + "': samples have shape " + java.util.Arrays.toString(d.sampleShape())
                    + ", the task expects " + java.util.Arrays.toString(task.inputShape()));
        }
        for (float v : d.features()) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException(split + " split of task '" + task.name() + "' contains NaN or infinite inputs");
        }
    }
}
