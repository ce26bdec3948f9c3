package dev.orcaj.cli;

import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TaskSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --preset paper}: the official configuration ({@code src/configs/*.yaml}, orca-spec section 8) of the paper's
 * task that represents the loaded task's family, as defaults for the flags not given on the command line. The body
 * stays the one chosen with --body (the official code uses RoBERTa-base for 1D and Swin-B for 2D tasks), and the
 * source proxy size is the official 5000 rows. Which configuration is used:
 * <pre>
 *   classes, tabular (arff/csv)   each setting's most common value over the 42 OpenML configs (AdamW 1e-4, wd 1e-5,
 *                                 batch 64, clip 1, 60 epochs, 20 embedder epochs, warmup 5 / decay 60, dropout 0.05)
 *   classes, 1D                    SATELLITE          classes, 2D   SPHERICAL
 *   multi-label, 1D                DEEPSEA            multi-label, 2D   FSD
 *   regression                     DRUG-CTRP
 *   dense relative L2, 1D          PDE-ADV            dense relative L2, 2D   DARCY-FLOW-5
 *   dense MSE                      PSICOV             dense masked BCE        COSMIC
 * </pre>
 * Every preset reports the last epoch's test score, as the paper's tables do. "clip -1" of the configs is --clip 0.
 */
final class PaperPreset {
    private PaperPreset() {}

    /** The official config name and its flag values for the task. */
    record Preset(String config, Map<String, String> flags) {}

    static Preset forTask(TaskLoader.LoadedTask t) {
        TaskSpec s = t.spec();
        boolean twoD = s.is2d();
        return switch (s.kind()) {
            case CLASSES -> t.tabular() ? of("OPENML (per-column mode of the 42 OpenML configs)", "adamw", 1e-4, 1e-5, 60, 64, 1, 1, 5, 60, 20, 128, 0.05, 0)
                    : twoD ? of("spherical", "adamw", 1e-4, 0.1, 60, 32, 4, 0, 5, 60, 60, 128, 0, 0)
                    : of("satellite", "adamw", 3e-5, 3e-6, 60, 16, 4, 0, 5, 60, 60, 128, 0, 0);
            case MULTILABEL -> twoD ? of("fsd", "adam", 1e-4, 5e-5, 100, 32, 1, 0, 5, 100, 60, 128, 0, 10)
                    : of("deepsea", "adam", 1e-5, 0, 13, 16, 1, 1, 10, 25, 60, 64, 0, 4);
            case REGRESSION -> of("drug", "adamw", 1e-5, 1e-5, 100, 16, 1, 5, 10, 100, 60, 256, 0, 0);
            case DENSE -> switch (s.loss()) {
                case MSE -> of("psicov", "adam", 5e-6, 1e-5, 10, 1, 32, 0, 5, 100, 60, 64, 0, 0);
                case MASKED_BCE -> of("cosmic", "adamw", 1e-3, 0, 60, 4, 1, 0, 5, 60, 60, 128, 0, 0);
                default -> twoD ? of("darcy", "adamw", 1e-3, 5e-3, 100, 4, 1, 0, 5, 100, 60, 128, 0, 0)
                        : of("PDEADV", "adam", 1e-4, 1e-5, 200, 4, 1, 1, 5, 200, 60, 128, 0, 0);
            };
        };
    }

    private static Preset of(String config, String optimizer, double lr, double weightDecay, int epochs, int batch, int accum, double clip,
                             int warmup, int decay, int embedderEpochs, int maxSamples, double dropout, double posWeight) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("--optimizer", optimizer);
        f.put("--lr", Double.toString(lr));
        f.put("--weight-decay", Double.toString(weightDecay));
        if (optimizer.equals("sgd")) f.put("--momentum", "0.99");
        f.put("--epochs", Integer.toString(epochs));
        f.put("--batch-size", Integer.toString(batch));
        f.put("--accum", Integer.toString(accum));
        f.put("--clip", Double.toString(clip));
        f.put("--warmup-epochs", Integer.toString(warmup));
        f.put("--decay-epochs", Integer.toString(decay));
        f.put("--align-epochs", Integer.toString(embedderEpochs));
        f.put("--max-samples", Integer.toString(maxSamples));
        f.put("--dropout", Double.toString(dropout));
        if (posWeight > 0) f.put("--pos-weight", Double.toString(posWeight));
        f.put("--source-samples", "5000");
        f.put("--report", "last");
        return new Preset(config, f);
    }

    /**
     * Sets every preset flag the command has and the user did not give; returns what was applied, for the log.
     * {@code preset} is the --preset value: "none" does nothing.
     */
    static Map<String, String> apply(String preset, CommandSpec spec, ParseResult parsed, TaskLoader.LoadedTask t) {
        if (preset.equals("none")) return Map.of();
        if (!preset.equals("paper")) throw new IllegalArgumentException("--preset: expected paper or none, got '" + preset + "'");
        Preset p = forTask(t);
        Map<String, String> applied = new LinkedHashMap<>();
        applied.put("config", p.config());
        p.flags().forEach((flag, value) -> {
            OptionSpec o = spec.findOption(flag);
            if (o == null || parsed.hasMatchedOption(flag)) return;
            Class<?> type = o.type();
            Object v = type == int.class || type == Integer.class ? (Object) Integer.parseInt(value)
                    : type == double.class || type == Double.class ? (Object) Double.parseDouble(value)
                    : value;
            o.setValue(v);
            applied.put(flag, value);
        });
        return applied;
    }
}
