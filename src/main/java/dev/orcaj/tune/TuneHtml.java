package dev.orcaj.tune;

import dev.orcaj.orca.Html;
import dev.orcaj.orca.Svg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.orcaj.orca.Html.esc;

/**
 * The self-contained page of a search ({@value TuneReport#HTML_FILE}): the search settings, then per method the best
 * configuration with its validation (and test) metrics, the trial table (configuration, score per rung, promotions,
 * final score, error) and a chart of each trial's rung scores. Every string from the store or the flags is escaped.
 */
final class TuneHtml {
    private static final String BEST_COLOR = "#d62728", OTHER_COLOR = "#1f77b4";

    private TuneHtml() {}

    static String render(TuneReport.Setup setup, List<TuneReport.MethodSearch> searches) {
        Asha.Settings budget = setup.budget();
        StringBuilder h = new StringBuilder(Html.head("ORCA-J search (ASHA): " + String.join(", ", searches.stream().map(TuneReport.MethodSearch::method).toList())));
        h.append("<p>Asynchronous successive halving (Li et al. 2020) per method, the same budget and the same drawn configurations for each."
                + " Scores are the validation selection score of the best epoch so far (higher is better; errors negated); the test split is never used to choose.</p>");
        h.append("<h2>Settings</h2><table>");
        row(h, "trials per method", Integer.toString(budget.trials()));
        row(h, "epochs per rung (min / max)", TuneReport.rungList(budget) + " (" + budget.minEpochs() + " / " + budget.maxEpochs() + "; every schedule spans " + budget.maxEpochs() + ")");
        row(h, "eta", Integer.toString(budget.eta()));
        row(h, "order", setup.order().name().toLowerCase(Locale.ROOT));
        row(h, "executor", setup.executor() + ", " + setup.parallel() + " in parallel x " + setup.threadsPerTrial() + " threads");
        row(h, "seed", Long.toString(setup.seed()));
        row(h, "space", setup.space().toString());
        new java.util.TreeMap<>(setup.fixed()).forEach((k, v) -> row(h, k, v));
        h.append("</table>");
        for (TuneReport.MethodSearch s : searches) method(h, budget, s);
        return h.append(Html.tail()).toString();
    }

    private static void method(StringBuilder h, Asha.Settings budget, TuneReport.MethodSearch s) {
        TuneReport.Best best = s.best();
        h.append("<h2>").append(esc(s.method())).append("</h2>");
        if (best == null) h.append("<p><b>No trial finished</b>: every rung failed (see the error column).</p>");
        else {
            h.append("<p>Best: <b>").append(esc(best.trial())).append("</b> (rung ").append(best.rung()).append(", ").append(best.epochs())
                    .append(" epochs), validation score ").append(TuneReport.num(best.score())).append("<br><code>").append(esc(best.config().toString())).append("</code></p>");
            h.append("<table><tr><th>split</th><th class=\"l\">metrics of the best trial</th></tr>");
            metricsRow(h, "validation", best.validation());
            if (!best.test().isEmpty()) metricsRow(h, "test", best.test());
            h.append("</table>");
        }
        int top = budget.topRung();
        h.append("<table><tr><th>trial</th><th>configuration</th>");
        for (int k = 0; k <= top; k++) h.append("<th>rung ").append(k).append(" (").append(budget.rungEpochs(k)).append(" ep)</th>");
        h.append("<th>final</th><th>error</th></tr>");
        List<Svg.Series> series = new ArrayList<>();
        for (TrialStore.Trial t : s.trials()) {
            boolean isBest = best != null && best.trial().equals(t.trialId());
            h.append(isBest ? "<tr class=\"best\">" : "<tr>").append("<td class=\"l\">").append(esc(t.trialId())).append("</td><td class=\"l\">")
                    .append(esc(TrialConfig.ofFlags(t.config()).toString())).append("</td>");
            for (String c : TuneReport.rungCells(t.trialId(), s.rungs(), top)) h.append("<td>").append(esc(c)).append("</td>");
            double[] scores = new double[top + 1];
            Arrays.fill(scores, Double.NaN);
            String last = "-";
            for (TrialStore.Rung r : s.rungs()) {
                if (!r.trialId().equals(t.trialId()) || r.status() != TrialStore.Status.DONE) continue;
                scores[r.rung()] = r.score();
                last = TuneReport.num(r.score()) + " (rung " + r.rung() + ")";
            }
            h.append("<td>").append(esc(last)).append("</td><td class=\"l\">").append(esc(TuneReport.note(t.trialId(), s.rungs()))).append("</td></tr>");
            series.add(new Svg.Series(t.trialId(), scores, 0, isBest ? BEST_COLOR : OTHER_COLOR, isBest ? "" : "4,3"));
        }
        h.append("</table><p>^ = promoted to the next rung.</p>");
        if (top > 0 && !series.isEmpty()) {
            h.append("<div class=\"charts\">").append(Html.figure(s.method() + ": validation score per rung (rungs train " + TuneReport.rungList(budget)
                    + " epochs); solid: the best trial", Svg.lines(series, "rung", "validation score"))).append("</div>");
        }
    }

    private static void metricsRow(StringBuilder h, String split, Map<String, Double> metrics) {
        List<String> parts = new ArrayList<>();
        // an internal sign-flipped entry (neg_relative_l2 beside relative_l2) is not shown
        new java.util.TreeMap<>(metrics).forEach((k, v) -> { if (!k.startsWith("neg_")) parts.add(k + " " + TuneReport.num(v)); });
        h.append("<tr><th>").append(split).append("</th><td class=\"l\">").append(esc(String.join(", ", parts))).append("</td></tr>");
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th style=\"text-align:left\">").append(esc(key)).append("</th><td class=\"l\">").append(esc(value)).append("</td></tr>");
    }
}
