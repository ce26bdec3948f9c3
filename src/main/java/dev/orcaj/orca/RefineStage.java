package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.nn.Dropout;
import dev.orcaj.nn.Module;
import dev.orcaj.nn.Parameter;
import dev.orcaj.optim.Adam;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.GradClip;
import dev.orcaj.optim.LrSchedule;
import dev.orcaj.optim.Optimizer;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.optim.Sgd;
import dev.orcaj.tensor.BufferPool;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 3, refinement (paper section 3.3; spec section 4): fine-tune embedder + body + predictor on the task loss,
 * with the optimizer, per-iteration warmup/decay schedule, clipping and accumulation of {@link TrainConfig}.
 * Unlike the official code, which selects on the test set, the model is selected on a validation split carved from
 * the training data; the test metrics are those of the selected model.
 */
public final class RefineStage {

    public record EpochLog(int epoch, double trainLoss, Map<String, Double> validation, double seconds) {}

    /**
     * @param test         the reported test metrics: of the best-validated epoch or of the last one ({@code reported})
     * @param selectMetric the validation metric that chose {@code bestEpoch}
     * @param testBest     test metrics of the best-validated model; {@code testLast} those after the last epoch
     */
    public record Result(List<EpochLog> epochs, int bestEpoch, Map<String, Double> validation, Map<String, Double> test, double seconds,
                         String selectMetric, ModelSelection.Reported reported, Map<String, Double> testBest, Map<String, Double> testLast,
                         @com.fasterxml.jackson.annotation.JsonIgnore ReportPredictions predictions) {
        /** Without the report's test outputs (null: whoever draws the report predicts them from the saved model). */
        public Result(List<EpochLog> epochs, int bestEpoch, Map<String, Double> validation, Map<String, Double> test, double seconds,
                      String selectMetric, ModelSelection.Reported reported, Map<String, Double> testBest, Map<String, Double> testLast) {
            this(epochs, bestEpoch, validation, test, seconds, selectMetric, reported, testBest, testLast, null);
        }
    }

    /**
     * Where stage 3 stands in a checkpoint: the next batch of an epoch (1-based epoch, 0-based batch), optimizer steps
     * taken, the train loss summed over the epoch's finished batches, the finished epochs, the best epoch so far and
     * the time spent so far.
     */
    public record Position(int epoch, int batch, int steps, double lossSum, List<EpochLog> epochs, int bestEpoch, double bestScore,
                           Map<String, Double> bestValidation, double seconds) {
        public static final Position START = new Position(1, 0, 0, 0, List.of(), -1, Double.NEGATIVE_INFINITY, Map.of(), 0);
    }

    /** Seed salts of {@link Batches#epochRng}: the epoch's batch order, and the dropout masks of each batch. */
    static final int RNG_STAGE = 3, RNG_DROPOUT = 4;

    /**
     * Whether training steps reuse their buffers (tensor.BufferPool; default on): system property
     * {@code orcaj.bufferReuse=false} turns it off. Results are bitwise the same either way (BufferReuseTest).
     */
    static boolean bufferReuse() { return !"false".equals(System.getProperty("orcaj.bufferReuse")); }

    private RefineStage() {}

    public static Result run(OrcaModel model, TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, TrainConfig cfg, Progress progress) {
        return run(model, task, train, val, test, cfg, progress, Checkpointer.NONE, null);
    }

    /** As above; checkpoints through {@code checkpoints}, and continues from {@code from} (stage REFINE) when not null. */
    public static Result run(OrcaModel model, TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, TrainConfig cfg, Progress progress,
                             Checkpointer checkpoints, Checkpoint.Loaded from) {
        long start = System.nanoTime();
        ModelSelection selection = cfg.selection() != null ? cfg.selection() : ModelSelection.defaults(task, false);
        selectTrainable(model, cfg.layerNormOnly());
        Map<String, Parameter> named = trainable(model);
        List<Parameter> params = List.copyOf(named.values());
        Optimizer opt = optimizer(cfg.optimizer(), named, cfg.lr(), cfg.weightDecay(), cfg.momentum());
        TaskLoss loss = new TaskLoss(task, train, cfg.classWeighted(), cfg.posWeight());
        int n = train.size(), perEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        int stepsPerEpoch = (perEpoch + cfg.accum() - 1) / cfg.accum();
        LrSchedule schedule = LrSchedule.linearWarmupDecay(cfg.lr(), cfg.warmupEpochs() * stepsPerEpoch, cfg.decayEpochs() * stepsPerEpoch);
        Position at = from == null ? Position.START : from.state().refine();
        Map<String, Tensor> best = null;
        if (from != null) {
            if (at.epoch() > cfg.epochs() + 1 || at.batch() > perEpoch) {
                throw new IllegalArgumentException(from.file() + ": stage 3 is at epoch " + at.epoch() + ", batch " + at.batch() + ", beyond this run's "
                        + cfg.epochs() + " epochs of " + perEpoch + " batches (were the settings changed?)");
            }
            opt.loadStateDict(from.optimizer());
            if (!from.best().isEmpty()) best = new LinkedHashMap<>(from.best());
        }
        List<EpochLog> logs = new ArrayList<>(at.epochs());
        double bestScore = at.bestScore();
        int bestEpoch = at.bestEpoch(), optSteps = at.steps();
        Map<String, Double> bestVal = at.bestValidation();
        List<Dropout> dropouts = dropouts(model, new ArrayList<>());
        BufferPool buffers = bufferReuse() ? new BufferPool() : null;
        for (int epoch = at.epoch(); epoch <= cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            boolean resumedEpoch = epoch == at.epoch();
            model.train(true);
            int[] order = Batches.permutation(n, Batches.epochRng(cfg.seed(), RNG_STAGE, epoch));
            double lossSum = resumedEpoch ? at.lossSum() : 0;
            for (int b = resumedEpoch ? at.batch() : 0; b < perEpoch; b++) {
                reseed(dropouts, cfg.seed(), (long) (epoch - 1) * perEpoch + b);
                int[] rows = Batches.slice(order, b * cfg.batchSize(), (b + 1) * cfg.batchSize());
                double value;
                boolean stepped = false;
                // one step's activations and gradients come from (and go back to) the pool; nothing of it escapes the
                // step but the loss value and the gradients of an accumulation that continues into the next batch
                try (var step = buffers == null ? null : buffers.open()) {
                    Tensor l = loss.compute(model.forward(Batches.inputs(train, rows)), train, rows);
                    value = l.item();
                    if (!Double.isFinite(value)) {
                        throw new ArithmeticException("refine: loss is " + value + " at epoch " + epoch + ", batch " + (b + 1) + " of " + perEpoch + " (lower the learning rate or check the inputs for NaN)");
                    }
                    lossSum += value;
                    (cfg.accum() == 1 ? l : l.mul(1.0 / cfg.accum())).backward();
                    if ((b + 1) % cfg.accum() == 0 || b == perEpoch - 1) {
                        if (cfg.clip() > 0) GradClip.clipGradNorm(params, cfg.clip());
                        opt.setLr(schedule.lrAt(optSteps));
                        progress.events().trainStep(epoch, optSteps + 1, value, schedule.lrAt(optSteps));
                        opt.step();
                        opt.zeroGrad();
                        optSteps++;
                        stepped = true;
                    }
                }
                if (stepped && checkpoints.due(optSteps)) { // after the step closed: a checkpoint holds nothing of its buffers
                    checkpoints.saveRefine(model, new Position(epoch, b + 1, optSteps, lossSum, logs, bestEpoch, bestScore, bestVal, seconds(at, start)), opt, best);
                }
                progress.step(epoch, cfg.epochs(), (epoch - 1) * perEpoch + b + 1, cfg.epochs() * perEpoch, "loss", value);
            }
            if (buffers != null) buffers.trim(); // evaluation allocates as usual: the pool does not sit on a step's arrays meanwhile
            Map<String, Double> v = Evaluator.metrics(task, Evaluator.predict(model, val, 256), val);
            double score = selection.score(v);
            logs.add(new EpochLog(epoch, lossSum / perEpoch, v, (System.nanoTime() - t0) / 1e9));
            progress.info(String.format(java.util.Locale.ROOT, "  epoch %d: train loss %.5f, validation %s", epoch, lossSum / perEpoch, v));
            progress.events().epochEnded(epoch, lossSum / perEpoch, v, (System.nanoTime() - t0) / 1e9);
            String exploding = lossExplosion(logs, cfg.lr());
            if (exploding != null) System.err.println("orca: warning: " + exploding);
            if (score >= bestScore) {
                bestScore = score;
                bestEpoch = epoch;
                bestVal = v;
                best = snapshot(named);
            }
            // after the last epoch the run saves its final model instead, unless it may be continued to more epochs
            if (checkpoints.savesAfterEpoch(epoch == cfg.epochs())) {
                checkpoints.saveRefine(model, new Position(epoch + 1, 0, optSteps, 0, logs, bestEpoch, bestScore, bestVal, seconds(at, start)), opt, best);
            }
        }
        // the reference tests both the last and the best-validated model (spec section 4); the saved model is the reported one
        float[] lastOutputs = Evaluator.predict(model, test, 256), reportedOutputs = lastOutputs;
        Map<String, Double> last = Evaluator.metrics(task, lastOutputs, test, true);
        Map<String, Double> bestTest = last;
        if (best != null && bestEpoch != cfg.epochs()) {
            Map<String, Tensor> lastWeights = snapshot(named);
            restore(named, best);
            float[] bestOutputs = Evaluator.predict(model, test, 256);
            bestTest = Evaluator.metrics(task, bestOutputs, test, true);
            if (selection.report() == ModelSelection.Reported.LAST) restore(named, lastWeights);
            else reportedOutputs = bestOutputs;
        }
        Map<String, Double> reported = selection.report() == ModelSelection.Reported.LAST ? last : bestTest;
        // the model now holds the reported weights (the run saves them): the report draws these outputs instead of predicting again
        return new Result(logs, bestEpoch, bestVal, reported, seconds(at, start), selection.metric(), selection.report(), bestTest, last,
                ReportPredictions.ofTestOutputs(task, test, reportedOutputs));
    }

    /**
     * A warning when the last epoch's mean train loss is over {@value AlignStage#DIVERGENCE_FACTOR} x the first epoch's, else null.
     * Only a warning: a model fine-tuned from an already good start can have a tiny first-epoch loss.
     */
    static String lossExplosion(List<EpochLog> logs, double lr) {
        if (logs.size() < 2) return null;
        double first = logs.getFirst().trainLoss(), last = logs.getLast().trainLoss();
        if (!(first > 0 && last > AlignStage.DIVERGENCE_FACTOR * first)) return null;
        return String.format(java.util.Locale.ROOT, "stage 3 train loss rose from %.5g (epoch %d) to %.5g (epoch %d), over %.0f x: training is diverging; lower --lr (now %.3g)",
                first, logs.getFirst().epoch(), last, logs.getLast().epoch(), AlignStage.DIVERGENCE_FACTOR, lr);
    }

    private static double seconds(Position at, long start) { return at.seconds() + (System.nanoTime() - start) / 1e9; }

    /**
     * Full fine-tuning trains everything the forward pass uses. The body's own embedding module and pooler are
     * bypassed by ORCA (spec 1.1/2), so they stay frozen. LayerNorm-only (FPT) applies the official freezer's rule
     * (spec section 4, finetune_method "layernorm") to the body's Hugging Face names: a name containing "layer" is
     * frozen unless it also contains "layernorm"/"LayerNorm". So attention, MLP and Swin's relative position tables
     * and patch-merging (encoder.layers.*.downsample.norm) freeze, while every LayerNorm named so, the final Swin
     * layernorm, the embedder and the predictor train.
     */
    static void selectTrainable(OrcaModel model, boolean layerNormOnly) {
        model.setTrainable(true);
        model.namedParameters().forEach((name, p) -> {
            if (p.isBuffer() || !name.startsWith("body.")) return;
            boolean bypassed = name.startsWith("body.embeddings.") || name.startsWith("body.pooler");
            if (bypassed || (layerNormOnly && frozenByLayerNormFreezer(name.substring("body.".length())))) p.setTrainable(false);
        });
    }

    static boolean frozenByLayerNormFreezer(String name) {
        return name.contains("layer") && !name.contains("layernorm") && !name.contains("LayerNorm");
    }

    /** The trainable parameters under their dotted model names (the names in optimizer state and checkpoints). */
    static Map<String, Parameter> trainable(OrcaModel model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> { if (p.trainable()) out.put(n, p); });
        return out;
    }

    static Optimizer optimizer(OptimizerKind kind, Map<String, Parameter> params, double lr, double wd, double momentum) {
        List<ParamGroup> groups = List.of(ParamGroup.named(params));
        return switch (kind) {
            case SGD -> new Sgd(groups, lr, momentum, wd);
            case ADAM -> new Adam(groups, lr, 0.9, 0.98, 1e-8, wd);
            case ADAMW -> new AdamW(groups, lr, 0.9, 0.98, 1e-8, wd);
        };
    }

    static Map<String, Tensor> snapshot(Map<String, Parameter> params) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        params.forEach((n, p) -> s.put(n, Tensor.of(p.get().toFloatArray(), p.get().shape())));
        return s;
    }

    static void restore(Map<String, Parameter> params, Map<String, Tensor> s) {
        params.forEach((n, p) -> {
            Tensor saved = s.get(n);
            if (saved == null) throw new IllegalArgumentException("best-model snapshot has no '" + n + "'");
            p.load(n, saved);
        });
    }

    /** Dropout draws are reseeded per batch from (seed, batch number), so skipping finished batches on resume changes nothing. */
    private static void reseed(List<Dropout> dropouts, long seed, long batch) {
        for (int i = 0; i < dropouts.size(); i++) dropouts.get(i).reseed(Batches.epochRng(seed, RNG_DROPOUT, (int) batch).nextLong() + i);
    }

    private static List<Dropout> dropouts(Module m, List<Dropout> out) {
        if (m instanceof Dropout d) out.add(d);
        for (Module c : m.children().values()) dropouts(c, out);
        return out;
    }
}
