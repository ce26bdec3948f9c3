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
     * @param objective   otdd | otdd-gaussian | mmd | euclidean (stage 2)
     * @param alignEpochs embedder epochs (= optimizer steps) of stage 2
     * @param maxSamples  rows per target class per stage-2 step
     * @param patch       embedder kernel k; 0 chooses it (smallest divisor that fits the body's sequence limit)
     * @param pooledDense use the official code's parameter-free dense head instead of the paper's linear head
     */
    public record Settings(Method method, String objective, int alignEpochs, int maxSamples, int patch, boolean pooledDense, TrainConfig train) {}

    public record Outcome(Method method, AlignStage.Result align, RefineStage.Result refine, int patch, int tokens, long parameters) {}

    private OrcaRun() {}

    /** {@code body} must supply a fresh pretrained body each call; {@code source} may be null unless the method is ORCA. */
    public static Outcome run(TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, Supplier<Body> body,
                              Supplier<AlignmentLoss> objective, Settings s, Progress progress) {
        checkData(task, train, "train");
        checkData(task, val, "validation");
        checkData(task, test, "test");
        long seed = s.train().seed();
        Body b = body.get();
        if (s.method() == Method.SCRATCH) reinitialize(b, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        Embedder embedder = new Embedder(task, b, s.patch(), rng);
        Predictor predictor = new Predictor(task, embedder.plan, b.hiddenSize(), s.pooledDense(), rng);
        OrcaModel model = new OrcaModel(embedder, b, predictor);
        if (s.train().dropout() > 0 && b instanceof dev.orcaj.models.bert.BertModel bert) bert.setDropout(s.train().dropout(), s.train().dropout());
        progress.info("task " + task + ": patch k=" + embedder.plan.k() + ", " + embedder.plan.tokens() + " tokens; method " + s.method());
        AlignStage.Result align = null;
        if (s.method() == Method.ORCA && s.alignEpochs() > 0) {
            progress.startStage("stage 2: align embedder (" + s.objective() + ")");
            align = AlignStage.run(model, train, objective.get(), s.alignEpochs(), s.maxSamples(), s.train(), seed, progress);
            progress.info(String.format(java.util.Locale.ROOT, "  %s before %.5g, after %.5g", s.objective(), align.before(), align.after()));
        }
        progress.startStage("stage 3: refine (" + s.method().name().toLowerCase() + (s.train().layerNormOnly() ? ", layernorm only" : "") + ")");
        RefineStage.Result refine = RefineStage.run(model, task, train, val, test, s.train(), progress);
        return new Outcome(s.method(), align, refine, embedder.plan.k(), embedder.plan.tokens(), model.parameterCount());
    }

    /** Train-from-scratch baseline: every body parameter redrawn (LayerNorms to 1/0, others N(0, 0.02) as in BERT). */
    static void reinitialize(Body body, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5eed);
        body.module().namedParameters().forEach((name, p) -> {
            if (p.isBuffer()) return;
            int[] shape = p.get().shape();
            boolean norm = name.contains("LayerNorm") || name.contains("layernorm") || name.contains("norm.");
            if (norm && name.endsWith("weight")) p.set(dev.orcaj.tensor.Tensor.ones(shape));
            else if (norm || name.endsWith("bias")) p.set(dev.orcaj.tensor.Tensor.zeros(shape));
            else p.set(dev.orcaj.nn.Init.normal(rng, 0.02, shape));
        });
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
