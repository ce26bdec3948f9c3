package dev.orcaj.orca;

import java.util.Locale;

/**
 * Model selection of stage 3 (spec section 4): the validation metric that picks the best epoch ({@code --select-metric})
 * and which epoch's test score is reported ({@code --report}: the best-validated one, or the last one as the paper's
 * tables do). Validated once against the task's family, so a typo fails before any training.
 */
public record ModelSelection(String metric, Reported report) {

    public enum Reported {
        BEST, LAST;

        public static Reported parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "best" -> BEST;
                case "last" -> LAST;
                default -> throw new IllegalArgumentException("--report: expected best or last, got '" + s + "'");
            };
        }
    }

    public ModelSelection {
        Evaluator.higherIsBetter(metric); // throws on an unknown name
        if (report == null) report = Reported.BEST;
    }

    /**
     * The paper's metric per family (spec section 5): accuracy for classes, one-vs-one AUROC for tabular (OpenML) data,
     * mean AUROC for multi-label (DEEPSEA), R^2 for regression (DRUG), and the dense loss's metric: relative L2
     * (Darcy), MAE8 on distance maps else MSE (PSICOV), pixel AUROC (COSMIC). F1 (ECG) is asked for with macro_f1.
     */
    public static String defaultMetric(TaskSpec task, boolean tabular) {
        return switch (task.kind()) {
            case CLASSES -> tabular ? "auroc" : "accuracy";
            case MULTILABEL -> "auroc";
            case REGRESSION -> "r2";
            case DENSE -> Evaluator.metricNames(task).getFirst();
        };
    }

    public static ModelSelection defaults(TaskSpec task, boolean tabular) { return new ModelSelection(defaultMetric(task, tabular), Reported.BEST); }

    /** {@code requested} is a metric name or "auto" (the family default); it must be one the task reports. */
    public static ModelSelection of(String requested, String report, TaskSpec task, boolean tabular) {
        String metric = requested == null || requested.equals("auto") ? defaultMetric(task, tabular) : requested.toLowerCase(Locale.ROOT);
        if (!Evaluator.metricNames(task).contains(metric)) {
            throw new IllegalArgumentException("--select-metric " + requested + ": a " + task.kind().flag() + " task with loss " + task.loss().flag()
                    + " reports " + String.join(", ", Evaluator.metricNames(task)));
        }
        return new ModelSelection(metric, Reported.parse(report));
    }

    /**
     * The score to maximise (errors negated). Where the metric is undefined on the split (AUROC when the validation rows
     * lack a class, MAE8 without close pairs), the family's first metric scores instead.
     */
    public double score(java.util.Map<String, Double> validation) {
        Double v = validation.get(metric);
        if (v == null) {
            // e.g. AUROC when the validation split lacks a class: fall back to the family's first metric
            String first = validation.keySet().iterator().next();
            return Evaluator.higherIsBetter(first) ? validation.get(first) : -validation.get(first);
        }
        return Evaluator.higherIsBetter(metric) ? v : -v;
    }
}
