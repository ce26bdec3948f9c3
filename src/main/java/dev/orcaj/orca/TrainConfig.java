package dev.orcaj.orca;

/**
 * Settings of stage 3 (refinement) and of the embedder optimizer of stage 2 (spec sections 3.5, 4, 8).
 *
 * @param optimizer    the optimizer of both stages
 * @param warmupEpochs linear warmup length (HF/ORCA WarmupLR, stepped per iteration)
 * @param decayEpochs  the schedule reaches 0 after this many epochs (ORCA's decay_epochs, >= epochs)
 * @param accum        gradient accumulation: optimizer step every accum batches (loss scaled by 1/accum)
 * @param clip         global-norm gradient clipping threshold, <= 0 for none
 * @param layerNormOnly FPT-style fine-tuning: only LayerNorms, embedder and predictor train
 * @param selection    validation metric and reported epoch; null = the task family's default, best epoch
 * @param dropPath     Swin stochastic-depth rate (HF drop_path_rate); negative = the body's default (0.1 for Swin,
 *                     the rate of the swin-base configs the official code loads; text bodies have none)
 */
public record TrainConfig(OptimizerKind optimizer, double lr, double weightDecay, double momentum, int epochs, int batchSize,
                          int accum, double clip, int warmupEpochs, int decayEpochs, boolean layerNormOnly,
                          double dropout, boolean classWeighted, double posWeight, long seed, ModelSelection selection, double dropPath) {

    /** The task family's default model selection. */
    public TrainConfig(OptimizerKind optimizer, double lr, double weightDecay, double momentum, int epochs, int batchSize, int accum, double clip,
                       int warmupEpochs, int decayEpochs, boolean layerNormOnly, double dropout, boolean classWeighted, double posWeight, long seed) {
        this(optimizer, lr, weightDecay, momentum, epochs, batchSize, accum, clip, warmupEpochs, decayEpochs, layerNormOnly, dropout, classWeighted, posWeight, seed, null);
    }

    /** The body's default drop path. */
    public TrainConfig(OptimizerKind optimizer, double lr, double weightDecay, double momentum, int epochs, int batchSize, int accum, double clip,
                       int warmupEpochs, int decayEpochs, boolean layerNormOnly, double dropout, boolean classWeighted, double posWeight, long seed,
                       ModelSelection selection) {
        this(optimizer, lr, weightDecay, momentum, epochs, batchSize, accum, clip, warmupEpochs, decayEpochs, layerNormOnly, dropout, classWeighted, posWeight, seed, selection, -1);
    }

    public TrainConfig {
        if (optimizer == null) throw new IllegalArgumentException("optimizer: expected sgd, adam or adamw, got none");
        if (lr <= 0 || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        if (epochs < 0 || batchSize < 1 || accum < 1) throw new IllegalArgumentException("epochs >= 0, batch size >= 1 and accum >= 1 required");
        if (decayEpochs < epochs) { // ORCA's WarmupLR turns negative past decay_epochs (spec section 4): refuse
            throw new IllegalArgumentException("--decay-epochs " + decayEpochs + " is shorter than --epochs " + epochs + "; the learning rate would reach 0 before the end");
        }
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        if (dropPath >= 1) throw new IllegalArgumentException("--drop-path must be below 1, got " + dropPath);
        if (warmupEpochs >= decayEpochs) warmupEpochs = Math.max(0, decayEpochs - 1);
    }

    /** Small defaults for CPU runs with the MiniLM body. */
    public static TrainConfig defaults() {
        return new TrainConfig(OptimizerKind.ADAMW, 1e-4, 1e-5, 0.9, 5, 32, 1, 1.0, 1, 5, false, 0.0, false, 0, 0);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(optimizer, lr, weightDecay, momentum, e, batchSize, accum, clip, warmupEpochs, Math.max(decayEpochs, e), layerNormOnly, dropout, classWeighted, posWeight, seed, selection, dropPath);
    }

    /**
     * {@code e} epochs of a schedule that reaches 0 after {@code decay} epochs: budgets with the same {@code decay}
     * share the same learning rate per step, so a shorter one is a prefix of a longer one (a search's rungs).
     */
    public TrainConfig withSchedule(int e, int decay) {
        return new TrainConfig(optimizer, lr, weightDecay, momentum, e, batchSize, accum, clip, warmupEpochs, decay, layerNormOnly, dropout, classWeighted, posWeight, seed, selection, dropPath);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(optimizer, lr, weightDecay, momentum, epochs, batchSize, accum, clip, warmupEpochs, decayEpochs, layerNormOnly, dropout, classWeighted, posWeight, s, selection, dropPath);
    }

    public TrainConfig withLayerNormOnly(boolean on) {
        return new TrainConfig(optimizer, lr, weightDecay, momentum, epochs, batchSize, accum, clip, warmupEpochs, decayEpochs, on, dropout, classWeighted, posWeight, seed, selection, dropPath);
    }
}
