package dev.orcaj.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The numbers behind the results tables, computed from raw runs only: per task and column (method label or reference
 * baseline) the mean and sample std over seeds; ORCA vs fine-tuning paired by seed; average ranks across tasks.
 * Directions are explicit: every comparison goes through {@link #better}, which reads the metric's direction, so a
 * lower relative L2 counts as better exactly as a higher accuracy does.
 */
public final class Aggregate {
    /** Two-sided level at which a paired difference counts as a win or loss (see {@link SignedRankTest} for n = 5). */
    public static final double ALPHA = 0.10;
    public static final List<String> METHOD_ORDER = List.of("orca", "finetune", "scratch");
    public static final List<String> REFERENCES = List.of("trivial", "linear");

    /** Mean and sample standard deviation (n - 1; 0 for n = 1). */
    public record Stat(double mean, double std, int n) {
        static Stat of(List<Double> v) {
            double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
            return new Stat(m, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0, v.size());
        }
    }

    /** One task: its compared metric and, per column, the statistics over seeds. */
    /**
     * @param stillImproving per label, the runs whose selected epoch was the last one (see {@link RawRun#stillImproving})
     * @param withCurve      per label, the runs with a validation curve of two or more epochs (older raw files lack it)
     * @param learning       per label, what the runs' curves say about why a method falls short (see {@link Learning})
     */
    public record TaskRow(String task, String metric, boolean higherIsBetter, Map<String, Stat> methods, Map<String, Stat> references,
                          Map<String, Double> seconds, Map<String, Integer> stillImproving, Map<String, Integer> withCurve, double alignBefore, double alignAfter,
                          Map<String, Learning> learning) {}

    /**
     * Evidence for "why" a method does not beat a reference baseline, read from its runs only.
     *
     * @param runs               runs of the label
     * @param noBetterThanTrivial runs whose test value does not beat the trivial predictor of the same seed (split)
     * @param medianBestEpoch    median selected epoch over the runs with a curve (NaN without curves)
     * @param epochs             the longest validation curve, i.e. the stage-3 budget in epochs (0 without curves)
     * @param selectedOn         the metric every run selected its epoch on (and a search ranked configurations on) when
     *                           it is not the compared metric, else null
     * @param onSelected         with selectedOn: the mean test value on it, under "self", and each reference's mean
     */
    public record Learning(int runs, int noBetterThanTrivial, double medianBestEpoch, int epochs, String selectedOn, Map<String, Double> onSelected) {}

    /**
     * One sentence on why a label's mean does not beat every reference on this row: nothing learnt (no better than the
     * trivial predictor), a budget that ends while the validation score still rises, a score that plateaus as the budget
     * ends (selected in the last fifth of the epochs), or one that peaks early (so more epochs alone would not help: the
     * settings or the data size are the next suspects). {@code tuned}: the settings came from a search, so the suspect
     * is the search (a validation split too small to tell configurations apart, or too narrow a space), not untuned flags.
     */
    public static String shortfall(TaskRow row, String label, boolean tuned) {
        String settings = tuned ? "the searched settings (a validation split too small to rank the configurations, or too narrow a space)"
                : "the untuned settings (learning rate, patch)";
        Learning l = row.learning().get(label);
        int improving = row.stillImproving().getOrDefault(label, 0), curves = row.withCurve().getOrDefault(label, 0);
        List<String> out = new ArrayList<>();
        if (l.selectedOn() != null) {
            String refs = l.onSelected().entrySet().stream().filter(e -> !e.getKey().equals("self"))
                    .map(e -> e.getKey() + String.format(Locale.ROOT, " %.3f", e.getValue())).collect(Collectors.joining(", "));
            out.add(String.format(Locale.ROOT, "compared on %s, but its epochs%s were selected on %s, where it scores %.3f%s", row.metric(),
                    tuned ? " and search" : "", l.selectedOn(), l.onSelected().get("self"), refs.isEmpty() ? "" : " (" + refs + ")"));
        }
        if (l.noBetterThanTrivial() == l.runs()) out.add("no seed beats the trivial predictor: the model learnt nothing usable at this budget and learning rate");
        else if (l.noBetterThanTrivial() > 0) out.add(l.noBetterThanTrivial() + " of " + l.runs() + " seeds no better than the trivial predictor");
        if (curves == 0) out.add("no validation curves recorded, so the budget cannot be judged");
        else if (improving * 2 > curves) out.add("still improving at the last epoch in " + improving + " of " + curves + " runs: the budget of " + l.epochs() + " epochs ends too early");
        else if (l.medianBestEpoch() >= 0.8 * l.epochs()) out.add(String.format(Locale.ROOT, "validation best late (epoch %.0f of %d, median) but strictly"
                + " improving at the end in only %d of %d runs: the score plateaued as the budget ended; more epochs may help a little, "
                + settings + " are the larger suspect", l.medianBestEpoch(), l.epochs(), improving, curves));
        else out.add(String.format(Locale.ROOT, "validation best at epoch %.0f of %d (median; %d of %d runs still improving at the end): more epochs alone would"
                + " not close the gap; " + settings + " or the few training rows are the suspects", l.medianBestEpoch(), l.epochs(), improving, curves));
        return String.join("; ", out);
    }

    public enum Verdict { WIN, TIE, LOSS }

    /**
     * ORCA vs fine-tuning on one task, paired by seed; differences are taken in the "better" direction (positive =
     * ORCA better, whatever the metric's direction).
     */
    public record Comparison(String task, int pairs, double meanDifference, int orcaBetter, int equal, int orcaWorse, SignedRankTest test, Verdict verdict) {}

    public record Rank(String column, double averageRank, int tasks) {}

    public final List<TaskRow> rows = new ArrayList<>();
    public final List<String> methods = new ArrayList<>();        // main method labels present, in METHOD_ORDER
    public final List<String> ablation = new ArrayList<>();       // "orca-OBJECTIVE" labels present
    public final List<String> references = new ArrayList<>();     // reference baselines present in some run
    public final List<Comparison> orcaVsFinetune = new ArrayList<>();
    public final List<Rank> ranks = new ArrayList<>();
    public final List<String> rankedTasks = new ArrayList<>();
    public final Set<String> commits = new LinkedHashSet<>(), hosts = new LinkedHashSet<>();
    /** Per task, the commits its runs were made at (a suite resumed after a code change mixes them). */
    public final Map<String, Set<String>> commitsByTask = new LinkedHashMap<>();
    /** Per task, per method label: the run settings of its lowest seed (in a tuned suite, the configuration the search chose). */
    public final Map<String, Map<String, Map<String, Object>>> settings = new LinkedHashMap<>();
    public String firstFinished = "", lastFinished = "";
    public double totalSeconds;
    public int runs;

    private Aggregate() {}

    /** +1 when a larger value is better, -1 when a smaller one is. */
    static int direction(boolean higherIsBetter) {
        return higherIsBetter ? 1 : -1;
    }

    /** Whether {@code a} is strictly better than {@code b} for a metric of this direction. */
    public static boolean better(double a, double b, boolean higherIsBetter) {
        return direction(higherIsBetter) * (a - b) > 0;
    }

    public static Aggregate of(List<RawRun> all) {
        Aggregate a = new Aggregate();
        Map<String, List<RawRun>> byTask = new LinkedHashMap<>();
        for (RawRun r : all) byTask.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r);
        Set<String> labels = new LinkedHashSet<>(), refs = new LinkedHashSet<>();
        for (RawRun r : all) {
            labels.add(r.label());
            refs.addAll(r.reference().keySet());
            a.commits.add(r.commit());
            a.commitsByTask.computeIfAbsent(r.task(), k -> new LinkedHashSet<>()).add(r.commit());
            a.hosts.add(r.hostCpu() + " (" + r.cores() + " cores)");
            if (!Double.isNaN(r.seconds())) a.totalSeconds += r.seconds();
            if (a.firstFinished.isEmpty() || r.finished().compareTo(a.firstFinished) < 0) a.firstFinished = r.finished();
            if (r.finished().compareTo(a.lastFinished) > 0) a.lastFinished = r.finished();
        }
        all.stream().sorted(java.util.Comparator.comparingInt(RawRun::seed))
                .forEach(r -> a.settings.computeIfAbsent(r.task(), k -> new LinkedHashMap<>()).putIfAbsent(r.label(), r.settings()));
        a.runs = all.size();
        for (String m : METHOD_ORDER) if (labels.contains(m)) a.methods.add(m);
        for (String l : labels) if (l.startsWith("orca-")) a.ablation.add(l);
        for (String r : REFERENCES) if (refs.contains(r)) a.references.add(r);
        for (String r : refs) if (!a.references.contains(r)) a.references.add(r);
        for (var e : byTask.entrySet()) a.rows.add(row(e.getKey(), e.getValue(), a.references));
        for (var e : byTask.entrySet()) {
            Comparison c = compare(e.getKey(), e.getValue(), "orca", "finetune");
            if (c != null) a.orcaVsFinetune.add(c);
        }
        a.rank();
        return a;
    }

    private static TaskRow row(String task, List<RawRun> runs, List<String> references) {
        RawRun first = runs.getFirst();
        for (RawRun r : runs) {
            if (!r.metric().equals(first.metric())) {
                throw new IllegalArgumentException("task " + task + ": runs compare different metrics (" + first.metric() + " in " + first.label() + " seed " + first.seed()
                        + ", " + r.metric() + " in " + r.label() + " seed " + r.seed() + ")");
            }
        }
        Map<String, List<Double>> values = new LinkedHashMap<>(), secs = new LinkedHashMap<>();
        Map<String, Integer> improving = new LinkedHashMap<>(), withCurve = new LinkedHashMap<>();
        Map<String, List<RawRun>> byLabel = new LinkedHashMap<>();
        List<Double> before = new ArrayList<>(), after = new ArrayList<>();
        // reference baselines depend on the split, i.e. the seed, not on the method: one value per seed
        Map<Integer, RawRun> perSeed = new TreeMap<>();
        for (RawRun r : runs) {
            values.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r.value());
            secs.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r.seconds());
            improving.merge(r.label(), r.stillImproving() ? 1 : 0, Integer::sum);
            withCurve.merge(r.label(), r.hasCurve() ? 1 : 0, Integer::sum);
            perSeed.putIfAbsent(r.seed(), r);
            byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Learning> learning = new LinkedHashMap<>();
        byLabel.forEach((label, rs) -> learning.put(label, learning(rs)));
        Map<String, Stat> methods = new LinkedHashMap<>(), refs = new LinkedHashMap<>();
        values.forEach((k, v) -> methods.put(k, Stat.of(v)));
        for (String ref : references) {
            List<Double> v = perSeed.values().stream().map(r -> r.reference(ref)).filter(x -> !Double.isNaN(x)).toList();
            if (!v.isEmpty()) refs.put(ref, Stat.of(v));
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        secs.forEach((k, v) -> seconds.put(k, Stat.of(v).mean()));
        for (RawRun r : runs) {
            if (r.label().equals("orca") && !Double.isNaN(r.alignBefore())) {
                before.add(r.alignBefore());
                after.add(r.alignAfter());
            }
        }
        return new TaskRow(task, first.metric(), first.higherIsBetter(), methods, refs, seconds, improving, withCurve,
                before.isEmpty() ? Double.NaN : Stat.of(before).mean(), after.isEmpty() ? Double.NaN : Stat.of(after).mean(), learning);
    }

    private static Learning learning(List<RawRun> runs) {
        int trivialTies = 0, epochs = 0;
        List<Integer> best = new ArrayList<>();
        for (RawRun r : runs) {
            double trivial = r.reference("trivial");
            if (!Double.isNaN(trivial) && !better(r.value(), trivial, r.higherIsBetter())) trivialTies++;
            if (r.hasCurve() && r.bestEpoch() > 0) {
                best.add(r.bestEpoch());
                epochs = Math.max(epochs, r.curve().size());
            }
        }
        best.sort(null);
        double median = best.isEmpty() ? Double.NaN : best.size() % 2 == 1 ? best.get(best.size() / 2) : (best.get(best.size() / 2 - 1) + best.get(best.size() / 2)) / 2.0;
        String selectedOn = runs.getFirst().selectMetric();
        Map<String, Double> onSelected = new LinkedHashMap<>();
        if (selectedOn != null && !selectedOn.equals(runs.getFirst().metric()) && runs.stream().allMatch(r -> selectedOn.equals(r.selectMetric()) && r.test().containsKey(selectedOn))) {
            onSelected.put("self", runs.stream().mapToDouble(r -> r.test().get(selectedOn)).average().orElseThrow());
            for (String ref : runs.getFirst().reference().keySet()) {
                double[] v = runs.stream().mapToDouble(r -> r.reference(ref, selectedOn)).filter(x -> !Double.isNaN(x)).toArray();
                if (v.length > 0) onSelected.put(ref, Arrays.stream(v).average().orElseThrow());
            }
        }
        return new Learning(runs.size(), trivialTies, median, epochs, onSelected.isEmpty() ? null : selectedOn, onSelected);
    }

    /** {@code first} vs {@code second} over the seeds both have; null when they share none. */
    static Comparison compare(String task, List<RawRun> runs, String first, String second) {
        Map<Integer, Double> x = new TreeMap<>(), y = new TreeMap<>();
        boolean higher = runs.getFirst().higherIsBetter();
        for (RawRun r : runs) {
            if (r.label().equals(first)) x.put(r.seed(), r.value());
            if (r.label().equals(second)) y.put(r.seed(), r.value());
        }
        x.keySet().retainAll(y.keySet());
        if (x.isEmpty()) return null;
        int n = x.size(), better = 0, equal = 0, worse = 0;
        double[] a = new double[n], b = new double[n];
        double sum = 0;
        int i = 0;
        for (int seed : x.keySet()) {
            // in the "better" direction: for errors, -value, so that larger is better for the test too
            a[i] = direction(higher) * x.get(seed);
            b[i] = direction(higher) * y.get(seed);
            double d = a[i] - b[i];
            sum += d;
            if (d > 0) better++;
            else if (d < 0) worse++;
            else equal++;
            i++;
        }
        SignedRankTest t = SignedRankTest.of(a, b);
        Verdict v = t.p() >= ALPHA || t.wPlus() == t.wMinus() ? Verdict.TIE : t.wPlus() > t.wMinus() ? Verdict.WIN : Verdict.LOSS;
        return new Comparison(task, n, sum / n, better, equal, worse, t, v);
    }

    /** Average rank (1 = best, ties share the mean rank) of every method and reference over the tasks that have them all. */
    private void rank() {
        List<String> columns = new ArrayList<>(methods);
        columns.addAll(references);
        Map<String, Double> sum = new LinkedHashMap<>();
        for (TaskRow r : rows) {
            if (!columns.stream().allMatch(c -> r.methods().containsKey(c) || r.references().containsKey(c))) continue;
            rankedTasks.add(r.task());
            Map<String, Double> mean = new LinkedHashMap<>();
            for (String c : columns) mean.put(c, (r.methods().containsKey(c) ? r.methods().get(c) : r.references().get(c)).mean());
            rankRow(mean, r.higherIsBetter()).forEach((c, rk) -> sum.merge(c, rk, Double::sum));
        }
        if (rankedTasks.isEmpty()) return;
        for (String c : columns) ranks.add(new Rank(c, sum.get(c) / rankedTasks.size(), rankedTasks.size()));
        ranks.sort(Comparator.comparingDouble(Rank::averageRank));
    }

    /** Ranks of the values, 1 = best in the metric's direction, equal values sharing their average rank. */
    static Map<String, Double> rankRow(Map<String, Double> values, boolean higherIsBetter) {
        List<String> order = new ArrayList<>(values.keySet());
        order.sort(Comparator.comparingDouble(c -> -direction(higherIsBetter) * values.get(c)));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); ) {
            int j = i;
            while (j + 1 < order.size() && values.get(order.get(j + 1)).equals(values.get(order.get(i)))) j++;
            double rank = (i + 1 + j + 1) / 2.0;
            for (int k = i; k <= j; k++) out.put(order.get(k), rank);
            i = j + 1;
        }
        return out;
    }

    /** The references a method's mean does not beat on this row (empty = it beats all present). */
    public static List<String> notBeaten(TaskRow row, String method) {
        Stat m = row.methods().get(method);
        List<String> out = new ArrayList<>();
        row.references().forEach((ref, s) -> {
            if (!better(m.mean(), s.mean(), row.higherIsBetter())) out.add(ref);
        });
        return out;
    }
}
