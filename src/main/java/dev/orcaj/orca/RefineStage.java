package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.nn.Parameter;
import dev.orcaj.optim.Adam;
import dev.orcaj.optim.AdamW;
import dev.orcaj.optim.GradClip;
import dev.orcaj.optim.LrSchedule;
import dev.orcaj.optim.Optimizer;
import dev.orcaj.optim.ParamGroup;
import dev.orcaj.optim.Sgd;
import dev.orcaj.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stage 3, refinement (paper section 3.3; spec section 4): fine-tune embedder + body + predictor on the task loss,
 * with the optimizer, per-iteration warmup/decay schedule, clipping and accumulation of {@link TrainConfig}.
 * Unlike the official code, which selects on the test set, the model is selected on a validation split carved from
 * the training data; the test metrics are those of the selected model.
 */
public final class RefineStage {

    public record EpochLog(int epoch, double trainLoss, Map<String, Double> validation, double seconds) {}

    public record Result(List<EpochLog> epochs, int bestEpoch, Map<String, Double> validation, Map<String, Double> test, double seconds) {}

    private RefineStage() {}

    public static Result run(OrcaModel model, TaskSpec task, ArrayDataset train, ArrayDataset val, ArrayDataset test, TrainConfig cfg, Progress progress) {
        long start = System.nanoTime();
        selectTrainable(model, cfg.layerNormOnly());
        List<Parameter> params = model.trainableParameters();
        Optimizer opt = optimizer(cfg.optimizer(), params, cfg.lr(), cfg.weightDecay(), cfg.momentum());
        TaskLoss loss = new TaskLoss(task, train, cfg.classWeighted(), cfg.posWeight());
        int n = train.size(), perEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        int stepsPerEpoch = (perEpoch + cfg.accum() - 1) / cfg.accum();
        LrSchedule schedule = LrSchedule.linearWarmupDecay(cfg.lr(), cfg.warmupEpochs() * stepsPerEpoch, cfg.decayEpochs() * stepsPerEpoch);
        SplittableRandom rng = new SplittableRandom(cfg.seed());
        List<EpochLog> logs = new ArrayList<>();
        Map<String, Tensor> best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        int bestEpoch = -1, optSteps = 0;
        Map<String, Double> bestVal = Map.of();
        for (int epoch = 1; epoch <= cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            model.train(true);
            int[] order = Batches.permutation(n, rng);
            double lossSum = 0;
            for (int b = 0; b < perEpoch; b++) {
                int[] rows = Batches.slice(order, b * cfg.batchSize(), (b + 1) * cfg.batchSize());
                Tensor l = loss.compute(model.forward(Batches.inputs(train, rows)), train, rows);
                double value = l.item();
                if (!Double.isFinite(value)) {
                    throw new ArithmeticException("refine: loss is " + value + " at epoch " + epoch + ", batch " + (b + 1) + " of " + perEpoch + " (lower the learning rate or check the inputs for NaN)");
                }
                lossSum += value;
                (cfg.accum() == 1 ? l : l.mul(1.0 / cfg.accum())).backward();
                if ((b + 1) % cfg.accum() == 0 || b == perEpoch - 1) {
                    if (cfg.clip() > 0) GradClip.clipGradNorm(params, cfg.clip());
                    opt.setLr(schedule.lrAt(optSteps));
                    opt.step();
                    opt.zeroGrad();
                    optSteps++;
                }
                progress.step(epoch, cfg.epochs(), (epoch - 1) * perEpoch + b + 1, cfg.epochs() * perEpoch, "loss", value);
            }
            Map<String, Double> v = Evaluator.metrics(task, Evaluator.predict(model, val, 256), val);
            double score = v.values().iterator().next();
            logs.add(new EpochLog(epoch, lossSum / perEpoch, v, (System.nanoTime() - t0) / 1e9));
            progress.info(String.format(java.util.Locale.ROOT, "  epoch %d: train loss %.5f, validation %s", epoch, lossSum / perEpoch, v));
            if (score >= bestScore) {
                bestScore = score;
                bestEpoch = epoch;
                bestVal = v;
                best = snapshot(params);
            }
        }
        if (best != null) restore(params, best);
        Map<String, Double> t = Evaluator.metrics(task, Evaluator.predict(model, test, 256), test);
        return new Result(logs, bestEpoch, bestVal, t, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Full fine-tuning trains everything the forward pass uses. The body's own embedding module and pooler are
     * bypassed by ORCA (spec 1.1/2), so they stay frozen. LayerNorm-only (FPT) additionally freezes every body
     * parameter whose name is not a LayerNorm (spec section 4: embedder, head and LayerNorms train).
     */
    static void selectTrainable(OrcaModel model, boolean layerNormOnly) {
        model.setTrainable(true);
        model.namedParameters().forEach((name, p) -> {
            if (p.isBuffer() || !name.startsWith("body.")) return;
            boolean bypassed = name.startsWith("body.embeddings.") || name.startsWith("body.pooler");
            boolean isNorm = name.contains("LayerNorm") || name.contains("layernorm") || name.contains(".norm");
            if (bypassed || (layerNormOnly && !isNorm)) p.setTrainable(false);
        });
    }

    static Optimizer optimizer(String kind, List<Parameter> params, double lr, double wd, double momentum) {
        List<ParamGroup> groups = List.of(ParamGroup.of(params));
        return switch (kind) {
            case "sgd" -> new Sgd(groups, lr, momentum, wd);
            case "adam" -> new Adam(groups, lr, 0.9, 0.98, 1e-8, wd);
            case "adamw" -> new AdamW(groups, lr, 0.9, 0.98, 1e-8, wd);
            default -> throw new IllegalArgumentException("optimizer: expected sgd, adam or adamw, got '" + kind + "'");
        };
    }

    static Map<String, Tensor> snapshot(List<Parameter> params) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) s.put(Integer.toString(i), Tensor.of(params.get(i).get().toFloatArray(), params.get(i).get().shape()));
        return s;
    }

    static void restore(List<Parameter> params, Map<String, Tensor> s) {
        for (int i = 0; i < params.size(); i++) {
            float[] src = s.get(Integer.toString(i)).storage().f;
            Tensor dst = params.get(i).get();
            System.arraycopy(src, 0, dst.storage().f, dst.offset(), src.length);
        }
    }

}
