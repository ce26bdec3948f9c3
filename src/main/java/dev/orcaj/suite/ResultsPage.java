package dev.orcaj.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * docs/RESULTS.md (and its HTML twin) from an {@link Aggregate}: every sentence below is derived from the numbers
 * it sits next to, so the text cannot contradict the tables.
 */
public final class ResultsPage {
    private ResultsPage() {}

    /**
     * @param command   the command that regenerates the page
     * @param now       provenance of the aggregation itself (commit, host)
     * @param date      the date of the aggregation (ISO)
     * @param missing   ids of suite cells without a raw file
     */
    public static Page build(SuiteSpec suite, Aggregate a, String command, Provenance now, String date, List<String> missing) {
        Page p = new Page();
        p.heading(1, "Results: suite `" + suite.name() + "`");
        if (suite.description() != null) p.paragraph(suite.description());
        p.paragraph("Generated " + date + " by `" + command + "` at commit " + now.commit() + " on " + now.hostCpu() + " (" + now.cores() + " cores), from the "
                + a.runs + " raw run files under `" + suite.results() + "/` (one per task, method and seed). The runs were made at commit"
                + (a.commits.size() == 1 ? " " : "s ") + String.join(", ", a.commits) + " on " + String.join(", ", a.hosts) + ", finished between "
                + a.firstFinished + " and " + a.lastFinished + "; " + String.format(Locale.ROOT, "%.1f", a.totalSeconds / 3600) + " h of run time in all.");
        if (a.commits.size() > 1) {
            List<String> perTask = new ArrayList<>();
            a.commitsByTask.forEach((task, commits) -> perTask.add(task + " " + String.join(" + ", commits)));
            p.paragraph("Commits per task: " + String.join("; ", perTask) + ".");
        }
        if (!missing.isEmpty()) {
            p.paragraph("Incomplete: " + missing.size() + " of the suite's " + suite.cells().size() + " runs have no raw file yet (first: "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + "); the tables use the runs present.");
        }
        settings(p, suite);
        if (suite.tune() != null) tunedSettings(p, a);
        main(p, a);
        baselines(p, suite, a);
        orcaVsFinetune(p, suite, a);
        ranks(p, a);
        alignment(p, suite, a);
        ablation(p, suite, a);
        time(p, a);
        return p;
    }

    private static void settings(Page p, SuiteSpec s) {
        p.heading(2, "Setup");
        p.paragraph("Methods " + String.join(", ", s.methods()) + " x seeds 0.." + (s.seeds() - 1) + "; `orca` aligns with " + s.objective()
                + ". Seed S sets the validation split, the initialization and the batch order (and the data of generated tasks), the same for every method,"
                + " so runs pair by seed. Every number is the **test** metric of the epoch selected on the validation split."
                + (s.common().isEmpty() ? "" : " Flags of every task: `" + flags(s.common()) + "`.")
                + (s.tune() == null ? " Untuned: every method runs with the flags below."
                : " Tuned: before its seeds run, every method of a task is searched with ASHA (`orca tune`, seed 0, the same budget and configurations"
                + " for every method: " + s.tune().trials() + " trials, rungs from " + s.tune().minEpochs() + " to " + s.tune().maxEpochs() + " epochs, eta "
                + s.tune().eta() + (s.tune().space().isEmpty() ? ", the paper appendix's space" : ", space `" + s.tune().space() + "`")
                + "); the best configuration's flags replace the searched flags below and every seed trains " + s.tune().maxEpochs() + " epochs."));
        List<List<String>> rows = new ArrayList<>();
        for (SuiteSpec.Task t : s.tasks()) {
            List<String> row = new ArrayList<>(List.of(t.name(), "`" + t.data() + "`", t.metric() == null ? "selection metric" : t.metric(), t.flags().isEmpty() ? "-" : "`" + flags(t.flags()) + "`"));
            if (s.tune() != null) row.add(t.space().isEmpty() ? "the suite's" : "`" + t.space() + "`");
            rows.add(row);
        }
        p.table(s.tune() == null ? List.of("task", "data", "metric", "task flags") : List.of("task", "data", "metric", "task flags", "search space (replaced dimensions)"), rows);
    }

    /** The settings each method trained its seeds with: in a tuned suite, what the search chose (read from the raw runs). */
    private static void tunedSettings(Page p, Aggregate a) {
        p.heading(3, "Configurations the search chose");
        List<String> keys = List.of("patch", "batch_size", "lr", "weight_decay", "clip", "dropout", "optimizer", "epochs");
        List<String> header = new ArrayList<>(List.of("task", "method"));
        header.addAll(keys);
        List<List<String>> rows = new ArrayList<>();
        a.settings.forEach((task, byLabel) -> byLabel.forEach((label, set) -> {
            List<String> row = new ArrayList<>(List.of(task, label));
            for (String k : keys) {
                Object v = set.getOrDefault(k, "-");
                row.add(v instanceof Double d ? new java.math.BigDecimal(d.toString()).stripTrailingZeros().toPlainString() : String.valueOf(v));
            }
            rows.add(row);
        }));
        p.table(header, rows);
    }

    private static void main(Page p, Aggregate a) {
        p.heading(2, "Test metric, mean ± std over seeds (n)");
        p.paragraph("↑: higher is better, ↓: lower is better (errors). `trivial` predicts the majority class / training mean; `linear` is a logistic or ridge"
                + " regression on the flattened input, regularised on the validation split; both are fitted on the same split as the methods.");
        List<String> header = new ArrayList<>(List.of("task", "metric"));
        header.addAll(a.references);
        header.addAll(a.methods);
        header.add("best");
        List<List<String>> rows = new ArrayList<>();
        for (Aggregate.TaskRow r : a.rows) {
            List<String> row = new ArrayList<>(List.of(r.task(), r.metric() + (r.higherIsBetter() ? " ↑" : " ↓")));
            Map<String, Double> means = new LinkedHashMap<>();
            for (String ref : a.references) {
                Aggregate.Stat s = r.references().get(ref);
                row.add(stat(s));
                if (s != null) means.put(ref, s.mean());
            }
            for (String m : a.methods) {
                Aggregate.Stat s = r.methods().get(m);
                row.add(stat(s));
                if (s != null) means.put(m, s.mean());
            }
            row.add(best(means, r.higherIsBetter()));
            rows.add(row);
        }
        p.table(header, rows);
    }

    private static void baselines(Page p, SuiteSpec suite, Aggregate a) {
        p.heading(2, "Against the reference baselines");
        if (a.references.isEmpty()) {
            p.paragraph("The raw runs hold no reference baselines (their metrics.json had no `reference` block), so this page cannot say whether the methods"
                    + " beat the trivial and linear predictors.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        int fine = 0, total = 0;
        List<String> failing = new ArrayList<>(), reasons = new ArrayList<>();
        for (Aggregate.TaskRow r : a.rows) {
            List<String> row = new ArrayList<>(List.of(r.task()));
            for (String m : a.methods) {
                if (!r.methods().containsKey(m)) {
                    row.add("-");
                    continue;
                }
                total++;
                List<String> not = Aggregate.notBeaten(r, m);
                if (r.references().isEmpty()) row.add("no reference");
                else if (not.isEmpty()) {
                    fine++;
                    row.add("beats " + String.join(" and ", r.references().keySet()));
                } else {
                    String why = not.stream().map(ref -> ref + " (" + fmt(r.methods().get(m).mean()) + " vs " + fmt(r.references().get(ref).mean()) + ")")
                            .collect(Collectors.joining(", "));
                    row.add("does NOT beat " + why);
                    failing.add(r.task() + "/" + m);
                    reasons.add("**" + r.task() + "/" + m + "**: " + Aggregate.shortfall(r, m, suite.tune() != null) + ".");
                }
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("task"));
        header.addAll(a.methods);
        p.paragraph(fine + " of " + total + " task x method means beat every reference baseline present" + (failing.isEmpty() ? "." : "; the others: "
                + String.join(", ", failing) + ". A method that does not beat a linear model on the flattened input has not learnt more than that model at this budget."));
        p.table(header, rows);
        if (!reasons.isEmpty()) {
            p.paragraph("Why, per row that falls short (read from the runs' validation curves and the trivial predictor of each seed's split):");
            p.bullets(reasons);
        }
    }

    private static void orcaVsFinetune(Page p, SuiteSpec suite, Aggregate a) {
        p.heading(2, "ORCA vs fine-tuning, paired by seed");
        if (a.orcaVsFinetune.isEmpty()) {
            p.paragraph("The suite has no task with both orca and finetune runs.");
            return;
        }
        double floor = 2 / Math.pow(2, suite.seeds());
        p.paragraph("Per task, the seeds both methods ran are paired; differences are taken so that positive means ORCA is better (for ↓ metrics the"
                + " sign is flipped). Two-sided Wilcoxon signed-rank test (Commons Math), zero differences dropped, exact p-value up to 30 pairs"
                + " (normal approximation above). A task is a win or loss when p < " + alpha() + ", otherwise a tie. With this suite's " + suite.seeds()
                + " seeds the smallest possible p-value is 2/2^" + suite.seeds() + String.format(Locale.ROOT, " = %.4g", floor)
                + (floor >= Aggregate.ALPHA ? ": no task can be a win or a loss" : floor >= 0.05 ? ", reached only when every difference has the same sign; no task can reach p < 0.05" : "")
                + ".");
        int w = 0, t = 0, l = 0, mb = 0, mw = 0;
        List<List<String>> rows = new ArrayList<>();
        for (Aggregate.Comparison c : a.orcaVsFinetune) {
            switch (c.verdict()) {
                case WIN -> w++;
                case TIE -> t++;
                case LOSS -> l++;
            }
            if (c.meanDifference() > 0) mb++;
            else if (c.meanDifference() < 0) mw++;
            rows.add(List.of(c.task(), String.valueOf(c.pairs()), signed(c.meanDifference()), c.orcaBetter() + " / " + c.equal() + " / " + c.orcaWorse(),
                    rankSum(c.test().wPlus()) + " / " + rankSum(c.test().wMinus()), String.format(Locale.ROOT, "%.4f%s", c.test().p(), c.test().exact() ? "" : " (normal)"),
                    c.verdict().name().toLowerCase(Locale.ROOT)));
        }
        p.table(List.of("task", "pairs", "mean difference", "seeds ORCA better / equal / worse", "W+ / W-", "p", "verdict"), rows);
        p.paragraph("Wins / ties / losses of ORCA vs fine-tuning at p < " + alpha() + ": **" + w + " / " + t + " / " + l + "** over " + tasks(a.orcaVsFinetune.size())
                + ". By the mean alone (no test): ORCA better on " + mb + ", worse on " + mw + ", equal on " + (a.orcaVsFinetune.size() - mb - mw) + ".");
    }

    private static void ranks(Page p, Aggregate a) {
        p.heading(2, "Average rank across tasks");
        if (a.ranks.isEmpty()) {
            p.paragraph("No task has every method and reference baseline, so no rank is computed.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Aggregate.Rank r : a.ranks) rows.add(List.of(r.column(), String.format(Locale.ROOT, "%.2f", r.averageRank()), String.valueOf(r.tasks())));
        p.paragraph("Rank 1 = best mean on a task (ties share the average rank), averaged over the " + tasks(a.rankedTasks.size()) + " that have every column"
                + (a.rankedTasks.size() < a.rows.size() ? " (" + tasks(a.rows.size() - a.rankedTasks.size()) + " left out)" : "") + ". Best average rank: "
                + a.ranks.getFirst().column() + String.format(Locale.ROOT, " (%.2f)", a.ranks.getFirst().averageRank()) + ".");
        p.table(List.of("method", "average rank", "tasks"), rows);
    }

    private static void alignment(Page p, SuiteSpec suite, Aggregate a) {
        List<Aggregate.TaskRow> aligned = a.rows.stream().filter(r -> !Double.isNaN(r.alignBefore())).toList();
        if (aligned.isEmpty()) return;
        p.heading(2, "Stage 2: the alignment objective before and after");
        List<List<String>> rows = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        int fell = 0;
        for (Aggregate.TaskRow r : aligned) {
            double factor = r.alignBefore() / r.alignAfter();
            if (r.alignAfter() < r.alignBefore()) fell++;
            lo = Math.min(lo, factor);
            hi = Math.max(hi, factor);
            rows.add(List.of(r.task(), fmt(r.alignBefore()), fmt(r.alignAfter()), String.format(Locale.ROOT, "%.2fx", factor)));
        }
        p.paragraph("Mean over the seeds of orca's " + suite.objective() + " between the embedded target rows and"
                + " the source proxy, on the same sampled rows before and after the embedder epochs. It fell on " + fell + " of " + tasks(aligned.size())
                + "; before/after ranges from " + String.format(Locale.ROOT, "%.2fx to %.2fx", lo, hi) + ".");
        p.table(List.of("task", "before", "after", "before / after"), rows);
    }

    private static void ablation(Page p, SuiteSpec suite, Aggregate a) {
        if (a.ablation.isEmpty()) return;
        p.heading(2, "Ablation: the stage-2 objective");
        List<String> cols = new ArrayList<>(List.of("orca"));
        cols.addAll(a.ablation);
        List<List<String>> rows = new ArrayList<>();
        Map<String, Integer> bestCount = new LinkedHashMap<>();
        Map<String, Double> rankSum = new LinkedHashMap<>();
        int tasks = 0;
        for (Aggregate.TaskRow r : a.rows) {
            if (a.ablation.stream().noneMatch(r.methods()::containsKey)) continue;
            List<String> row = new ArrayList<>(List.of(r.task()));
            Map<String, Double> means = new LinkedHashMap<>();
            for (String c : cols) {
                row.add(stat(r.methods().get(c)));
                if (r.methods().containsKey(c)) means.put(c, r.methods().get(c).mean());
            }
            String best = best(means, r.higherIsBetter());
            row.add(best);
            rows.add(row);
            if (means.size() == cols.size()) {
                tasks++;
                for (String b : best.split(", ")) bestCount.merge(b, 1, Integer::sum);
                Aggregate.rankRow(means, r.higherIsBetter()).forEach((c, rk) -> rankSum.merge(c, rk, Double::sum));
            }
        }
        List<String> header = new ArrayList<>(List.of("task", "orca (" + suite.objective() + ")"));
        header.addAll(a.ablation);
        header.add("best");
        p.paragraph("orca re-run with other stage-2 objectives, everything else equal (mean ± std over seeds of the test metric).");
        p.table(header, rows);
        if (tasks > 0) {
            final int n = tasks;
            p.paragraph("Over the " + tasks(n) + " with every objective: best mean " + cols.stream().map(c -> label(c, suite) + " " + bestCount.getOrDefault(c, 0) + "x")
                    .collect(Collectors.joining(", ")) + "; average rank " + cols.stream().map(c -> label(c, suite) + String.format(Locale.ROOT, " %.2f", rankSum.get(c) / n))
                    .collect(Collectors.joining(", ")) + ".");
        }
    }

    private static String label(String column, SuiteSpec suite) {
        return column.equals("orca") ? "orca (" + suite.objective() + ")" : column;
    }

    private static void time(Page p, Aggregate a) {
        p.heading(2, "Budget: time per run and whether the runs were still improving");
        List<String> cols = new ArrayList<>(a.methods);
        cols.addAll(a.ablation);
        List<List<String>> rows = new ArrayList<>();
        int improving = 0, total = 0;
        for (Aggregate.TaskRow r : a.rows) {
            List<String> row = new ArrayList<>(List.of(r.task()));
            for (String c : cols) {
                if (!r.seconds().containsKey(c)) {
                    row.add("-");
                    continue;
                }
                int k = r.stillImproving().get(c), n = r.withCurve().get(c);
                improving += k;
                total += n;
                row.add(String.format(Locale.ROOT, "%.0f s", r.seconds().get(c)) + (n == 0 ? "" : String.format(Locale.ROOT, ", last epoch best in %d/%d", k, n)));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("task"));
        header.addAll(cols);
        p.paragraph("Mean wall time of a whole run (loading, all stages, evaluation) on the host named above; other jobs sharing the machine inflate it."
                + " \"Last epoch best\": runs whose last epoch scored strictly better on the validation split than every earlier one, i.e. still"
                + " improving when the budget ended: " + improving + " of the " + total + " runs with a validation curve of two or more epochs" + (total > 0 && improving * 2 > total ? ", more than half: larger budgets would likely change these numbers." : "."));
        p.table(header, rows);
    }

    private static String flags(Map<String, String> f) {
        return f.entrySet().stream().map(e -> e.getValue().equals("true") ? "--" + e.getKey() : "--" + e.getKey() + " " + e.getValue()).collect(Collectors.joining(" "));
    }

    /** The column(s) with the best mean, ties joined. */
    static String best(Map<String, Double> means, boolean higherIsBetter) {
        if (means.isEmpty()) return "-";
        double top = higherIsBetter ? means.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                : means.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        return means.entrySet().stream().filter(e -> e.getValue() == top).map(Map.Entry::getKey).collect(Collectors.joining(", "));
    }

    static String stat(Aggregate.Stat s) {
        if (s == null) return "-";
        return s.n() == 1 ? fmt(s.mean()) + " (1)" : fmt(s.mean()) + " ± " + fmt(s.std()) + " (" + s.n() + ")";
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "-";
        double m = Math.abs(v);
        return String.format(Locale.ROOT, m >= 1000 ? "%.0f" : m >= 10 ? "%.2f" : "%.4f", v);
    }

    private static String alpha() {
        return String.format(Locale.ROOT, "%.2f", Aggregate.ALPHA);
    }

    private static String tasks(int n) {
        return n + (n == 1 ? " task" : " tasks");
    }

    /** Signed-rank sums are whole or half numbers. */
    private static String rankSum(double w) {
        return w == Math.rint(w) ? String.format(Locale.ROOT, "%.0f", w) : String.format(Locale.ROOT, "%.1f", w);
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : "") + fmt(v);
    }
}
