package dev.orcaj.orca;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.optim.LrSchedule;
import dev.orcaj.optim.Optimizer;
import dev.orcaj.ot.KMeans;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stage 2, distribution alignment (paper section 3.2, Algorithm 1; spec 3.2-3.5): train only the embedder so that
 * the mean-pooled embedded target data is close to the source proxy. Each epoch visits the target classes in a
 * random order; for class c it embeds up to {@code maxSamples} of its rows and adds w_c * distance(source, class c)
 * with w_c = n_c / n, accumulating gradients; one optimizer step per epoch. Tasks without class labels use K-means
 * (k = 10) pseudo-labels of the flattened targets y.
 */
public final class AlignStage {

    /**
     * @param curve  the distance during each embedder epoch (before that epoch's step; NaN for the epochs that
     *               {@link #VALUE_EVERY} leaves out), then the final {@code after}
     * @param before the distance before alignment and {@code after} the distance after it, on the same sampled rows
     */
    public record Result(double[] curve, double before, double after, int epochs, double seconds) {}

    /** Where stage 2 stands in a checkpoint: epochs (= optimizer steps) done, their distances, the distance before alignment, time spent so far. */
    public record Position(int epochsDone, double[] curve, double before, double seconds) {}

    /**
     * Default cadence of the curve: the distance is computed in epochs 0, 5, 10, ... and the last one; the other
     * epochs take gradient-only steps. The OTDD gradient does not depend on the source self-problem OT(a, a),
     * which costs n_src^2 per epsilon step and depends on the target through the schedule's diameter (so it can't
     * be cached exactly): skipping it gives bitwise the same gradients, hence the same training and the same
     * values at the recorded epochs (AlignStageTest).
     */
    public static final int VALUE_EVERY = 5;

    /** Stage seed salt of {@link Batches#epochRng}. */
    static final int RNG_STAGE = 2;

    private AlignStage() {}

    public static Result run(OrcaModel model, ArrayDataset train, AlignmentLoss objective, int epochs, int maxSamples,
                             TrainConfig cfg, long seed, Progress progress) {
        return run(model, train, objective, epochs, maxSamples, cfg, seed, progress, Checkpointer.NONE, null);
    }

    /** spec 3.5: the embedder trains with lr x 10 when lr <= 1e-3. */
    private static double embedderLr(TrainConfig cfg) { return cfg.lr() <= 1e-3 ? cfg.lr() * 10 : cfg.lr(); }

    /** The official code's StepLR for the embedder: x0.2 at epochs 20, 40 and 60. */
    private static LrSchedule schedule(TrainConfig cfg) { return LrSchedule.milestones(embedderLr(cfg), 0.2, 20, 40, 60); }

    /**
     * The per-epoch events of a stage 2 that ran elsewhere (the {@code --body auto} selection aligned the winner
     * already): the same {@link RunEvents#alignEpoch} calls, distances and learning rates as the run emitted, so the
     * run's TensorBoard log and dashboard show its stage 2.
     */
    static void replay(Result r, TrainConfig cfg, RunEvents events) {
        LrSchedule schedule = schedule(cfg);
        for (int epoch = 0; epoch < r.epochs(); epoch++) events.alignEpoch(epoch + 1, r.curve()[epoch], schedule.lrAt(epoch));
    }

    /** As above; checkpoints through {@code checkpoints}, and continues from {@code from} (stage ALIGN) when not null. */
    public static Result run(OrcaModel model, ArrayDataset train, AlignmentLoss objective, int epochs, int maxSamples,
                             TrainConfig cfg, long seed, Progress progress, Checkpointer checkpoints, Checkpoint.Loaded from) {
        return run(model, train, objective, epochs, maxSamples, cfg, seed, progress, checkpoints, from, VALUE_EVERY);
    }

    /** As above; {@code valueEvery}: the curve's cadence (1 = the distance in every epoch), see {@link #VALUE_EVERY}. */
    public static Result run(OrcaModel model, ArrayDataset train, AlignmentLoss objective, int epochs, int maxSamples,
                             TrainConfig cfg, long seed, Progress progress, Checkpointer checkpoints, Checkpoint.Loaded from,
                             int valueEvery) {
        if (valueEvery < 1) throw new IllegalArgumentException("stage 2: valueEvery must be >= 1, got " + valueEvery);
        long start = System.nanoTime();
        int[] labels = targetLabels(train, seed);
        List<int[]> classes = rowsByClass(labels);
        model.setTrainable(false);
        model.embedder.setTrainable(true);
        double lr = embedderLr(cfg);
        Optimizer opt = RefineStage.optimizer(cfg.optimizer(), RefineStage.trainable(model), lr, cfg.weightDecay(), cfg.momentum());
        LrSchedule schedule = schedule(cfg);
        double[] curve = new double[epochs + 1];
        int first = 0;
        double secondsBefore = 0;
        if (from != null) {
            Position at = from.state().align();
            if (at.epochsDone() > epochs) throw new IllegalArgumentException(from.file() + ": stage 2 is at epoch " + at.epochsDone() + ", but the run has only " + epochs + " alignment epochs");
            first = at.epochsDone();
            System.arraycopy(at.curve(), 0, curve, 0, first);
            secondsBefore = at.seconds();
            opt.loadStateDict(from.optimizer());
        }
        model.embedder.train(true);
        // before/after are measured on the same rows (same sampling seed), so their difference is the alignment's effect
        long evalSeed = seed + 1;
        double before = from != null ? from.state().align().before()
                : epochPass(model, train, classes, labels.length, objective, maxSamples, new SplittableRandom(evalSeed), false, true);
        for (int epoch = first; epoch < epochs; epoch++) {
            opt.setLr(schedule.lrAt(epoch));
            boolean withValue = epoch % valueEvery == 0 || epoch == epochs - 1;
            curve[epoch] = epochPass(model, train, classes, labels.length, objective, maxSamples, Batches.epochRng(seed, RNG_STAGE, epoch), true, withValue);
            if (withValue) requireNotDiverged(objective.name, before, curve[epoch], "epoch " + (epoch + 1) + " of " + epochs, lr);
            opt.step();
            opt.zeroGrad();
            if (checkpoints.due(epoch + 1)) {
                checkpoints.saveAlign(model, new Position(epoch + 1, Arrays.copyOf(curve, epoch + 1), before, secondsBefore + (System.nanoTime() - start) / 1e9), opt);
            }
            progress.step(epoch + 1, epochs, epoch + 1, epochs, objective.name, curve[epoch]);
            progress.events().alignEpoch(epoch + 1, withValue ? curve[epoch] : Double.NaN, schedule.lrAt(epoch));
        }
        double after = epochPass(model, train, classes, labels.length, objective, maxSamples, new SplittableRandom(evalSeed), false, true);
        requireNotDiverged(objective.name, before, after, "the end", lr);
        curve[epochs] = after;
        model.setTrainable(true);
        return new Result(curve, before, after, epochs, secondsBefore + (System.nanoTime() - start) / 1e9);
    }

    /** Stage 2 minimises the distance; one far above its starting value (or not finite) means the steps diverged. */
    static final double DIVERGENCE_FACTOR = 1e3;

    /** Throws, naming the values and the remedy, when {@code value} is not finite or exceeds {@value #DIVERGENCE_FACTOR} x {@code before}. */
    static void requireNotDiverged(String objective, double before, double value, String when, double lr) {
        if (Double.isFinite(value) && !(before > 0 && value > DIVERGENCE_FACTOR * before)) return;
        throw new ArithmeticException(String.format(java.util.Locale.ROOT,
                "stage 2 diverged: %s rose from %.5g before alignment to %.5g at %s (limit: %.0f x the start); lower --lr (the embedder used %.3g)",
                objective, before, value, when, DIVERGENCE_FACTOR, lr));
    }

    /**
     * Distance summed over classes (weighted by class share); with {@code withGrad} the gradients accumulate, and
     * {@code withValue = false} (gradient steps only) lets the objective skip the value (the result may be NaN).
     */
    static double epochPass(OrcaModel model, ArrayDataset train, List<int[]> classes, int n, AlignmentLoss objective,
                            int maxSamples, SplittableRandom rng, boolean withGrad, boolean withValue) {
        double total = 0;
        int[] order = Batches.permutation(classes.size(), rng);
        for (int ci : order) {
            int[] rows = classes.get(ci);
            if (rows.length < 2) continue; // the reference skips classes with a single row
            int[] pick = Batches.slice(shuffled(rows, rng), 0, maxSamples);
            double weight = (double) rows.length / n;
            long seed = rng.nextLong();
            if (withGrad) {
                Tensor l = objective.loss(model.embedder.pooledFeatures(Batches.inputs(train, pick)), seed, withValue).mul(weight);
                total += l.item();
                l.backward();
            } else {
                total += Autograd.noGrad(() -> objective.loss(model.embedder.pooledFeatures(Batches.inputs(train, pick)), seed).item()) * weight;
            }
        }
        return withValue ? total : Double.NaN;
    }

    /** Class labels, or K-means (k = 10) pseudo-labels of the flattened targets for other task kinds (spec 3.2). */
    static int[] targetLabels(ArrayDataset train, long seed) {
        if (train.targets() instanceof Targets.ClassLabels c) return c.labels();
        int n = train.size();
        float[] y = switch (train.targets()) {
            case Targets.VectorTargets v -> v.values();
            case Targets.DenseTargets d -> d.values();
            case Targets.ClassLabels c -> throw new IllegalStateException();
        };
        int d = y.length / n;
        double[] yd = new double[y.length];
        for (int i = 0; i < y.length; i++) yd[i] = y[i];
        return KMeans.fit(yd, n, d, Math.min(10, n), seed).labels();
    }

    static List<int[]> rowsByClass(int[] labels) {
        int k = 0;
        for (int l : labels) k = Math.max(k, l + 1);
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < k; c++) lists.add(new ArrayList<>());
        for (int i = 0; i < labels.length; i++) lists.get(labels[i]).add(i);
        List<int[]> out = new ArrayList<>();
        for (List<Integer> l : lists) if (!l.isEmpty()) out.add(l.stream().mapToInt(Integer::intValue).toArray());
        return out;
    }

    private static int[] shuffled(int[] rows, SplittableRandom rng) {
        int[] p = Batches.permutation(rows.length, rng);
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = rows[p[i]];
        return out;
    }
}
