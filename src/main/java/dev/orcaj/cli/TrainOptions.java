package dev.orcaj.cli;

import dev.orcaj.orca.ModelSelection;
import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TrainConfig;
import picocli.CommandLine.Option;

/** Stage-3 (refinement) training flags, shared by run and finetune. */
public final class TrainOptions {
    @Option(names = "--epochs", defaultValue = "5", description = "Stage-3 epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "16", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--accum", defaultValue = "1", description = "Gradient accumulation steps (default: ${DEFAULT-VALUE}).")
    int accum;
    @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip; <= 0 disables (default: ${DEFAULT-VALUE}).")
    double clip;
    @Option(names = "--warmup-epochs", defaultValue = "1", description = "Linear warmup epochs (default: ${DEFAULT-VALUE}).")
    int warmupEpochs;
    @Option(names = "--decay-epochs", defaultValue = "0", description = "Epoch at which the linear decay reaches 0 (ORCA's decay_epochs, e.g. 25 for DeepSEA's 13 epochs); 0 = --epochs (default: ${DEFAULT-VALUE}).")
    int decayEpochs;
    @Option(names = "--layernorm-only", description = "FPT-style refinement: only LayerNorms, embedder and predictor train.")
    boolean layerNormOnly;
    @Option(names = "--dropout", defaultValue = "0", description = "Override the body's dropout (0 = keep it).")
    double dropout;
    @Option(names = "--drop-path", defaultValue = "-1", description = "Swin stochastic-depth rate; negative = the body's default (0.1 for Swin as the official code trains it, none for text bodies) (default: ${DEFAULT-VALUE}).")
    double dropPath;
    @Option(names = "--class-weighted", description = "Weight cross-entropy by 1/class frequency (always on for arff/csv tabular data).")
    boolean classWeighted;
    @Option(names = "--pos-weight", defaultValue = "0", description = "BCE pos_weight for multi-label tasks (0 = none).")
    double posWeight;

    @Option(names = "--select-metric", defaultValue = "auto", description = "Validation metric that selects the model: auto (the paper's per family: accuracy, AUROC for tabular, mean AUROC for multi-label, R^2 for regression, the dense loss's metric) or a metric the task reports, e.g. macro_f1 for ECG (default: ${DEFAULT-VALUE}).")
    String selectMetric;
    @Option(names = "--report", defaultValue = "best", description = "Which test score is reported and saved: best (the best-validated epoch's model) or last (the last epoch's, as the paper's tables) (default: ${DEFAULT-VALUE}).")
    String report;

    /** Every stage-3 flag in its range, each error naming the flag. */
    void check() {
        FlagChecks.atLeast("--epochs", epochs, 0);
        FlagChecks.atLeast("--batch-size", batchSize, 1);
        FlagChecks.atLeast("--accum", accum, 1);
        FlagChecks.finite("--clip", clip);
        FlagChecks.atLeast("--warmup-epochs", warmupEpochs, 0);
        FlagChecks.atLeast("--decay-epochs", decayEpochs, 0);
        FlagChecks.fraction("--dropout", dropout);
        if (dropPath >= 0 || Double.isNaN(dropPath)) FlagChecks.fraction("--drop-path", dropPath);  // negative = the body's default
        FlagChecks.atLeast("--pos-weight", posWeight, 0.0);
    }

    /** The stage-3 settings for a loaded task; the model selection is checked against the task's family here. */
    TrainConfig config(OptimizerOptions o, long seed, TaskLoader.LoadedTask task) {
        ModelSelection selection = ModelSelection.of(selectMetric, report, task.spec(), task.tabular());
        return new TrainConfig(o.optimizer(), o.lr, o.weightDecay, o.momentum, epochs, batchSize, accum, clip, warmupEpochs, decayEpochs == 0 ? epochs : decayEpochs,
                layerNormOnly, dropout, classWeighted || task.tabular(), posWeight, seed, selection, dropPath);
    }

    /** Stage 2 alone uses only the optimizer settings. */
    static TrainConfig alignOnly(OptimizerOptions o, long seed) {
        return new TrainConfig(o.optimizer(), o.lr, o.weightDecay, o.momentum, 0, 1, 1, 0, 0, 0, false, 0, false, 0, seed);
    }
}
