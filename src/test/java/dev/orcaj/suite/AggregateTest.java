package dev.orcaj.suite;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aggregation of synthetic raw runs whose statistics are computed by hand in the comments. Three tasks:
 * A (accuracy, higher is better): ORCA better than fine-tuning on all 5 seeds; B (relative L2, lower is better):
 * ORCA worse on all 5 seeds, although its numbers are larger (a sign error would call it a win); C: mixed signs.
 */
class AggregateTest {
    static final double[] TRIVIAL = {0.5, 1.0, 0.5}, LINEAR = {0.9, 0.25, 0.6};

    static RawRun run(String task, String label, int seed, double value, String metric, boolean higher, double trivial, double linear) {
        return new RawRun("s", task, "gen:" + task, label, label.startsWith("orca") ? "orca" : label, label.startsWith("orca") ? "otdd" : null, seed, metric, higher,
                Map.of(metric, value), Map.of(), Map.of("trivial", Map.of(metric, trivial), "linear", Map.of(metric, linear)),
                10 + seed, Double.NaN, 9, label.equals("orca") ? 8.0 : Double.NaN, label.equals("orca") ? 2.0 : Double.NaN, "accuracy", seed % 2 == 0 ? List.of(0.1, 0.2) : List.of(0.2, 0.2), 2, Map.of(), "abc", "cpu", 2, "2026-12-07T0" + seed + ":00:00Z");
    }

    static List<RawRun> synthetic() {
        List<RawRun> runs = new ArrayList<>();
        double[][] a = {{0.80, 0.82, 0.84, 0.86, 0.88}, {0.70, 0.72, 0.74, 0.76, 0.78}, {0.60, 0.62, 0.64, 0.66, 0.68}};
        double[][] b = {{0.30, 0.31, 0.32, 0.33, 0.34}, {0.20, 0.21, 0.22, 0.23, 0.24}, {0.40, 0.41, 0.42, 0.43, 0.44}};
        double[][] c = {{0.5, 0.6, 0.5, 0.6, 0.5}, {0.6, 0.5, 0.6, 0.5, 0.55}, {0.5, 0.6, 0.5, 0.6, 0.5}};
        String[] labels = {"orca", "finetune", "scratch"};
        for (int m = 0; m < 3; m++) {
            for (int s = 0; s < 5; s++) {
                runs.add(run("A", labels[m], s, a[m][s], "accuracy", true, TRIVIAL[0], LINEAR[0]));
                runs.add(run("B", labels[m], s, b[m][s], "relative_l2", false, TRIVIAL[1], LINEAR[1]));
                runs.add(run("C", labels[m], s, c[m][s], "accuracy", true, TRIVIAL[2], LINEAR[2]));
            }
        }
        return runs;
    }

    @Test
    void meansAndSampleStandardDeviations() {
        Aggregate a = Aggregate.of(synthetic());
        Aggregate.TaskRow rowA = a.rows.getFirst();
        assertEquals("A", rowA.task());
        assertEquals(0.84, rowA.methods().get("orca").mean(), 1e-12);
        // deviations -.04 -.02 0 .02 .04: sum of squares 0.004, / (5 - 1) = 0.001
        assertEquals(Math.sqrt(0.001), rowA.methods().get("orca").std(), 1e-12);
        assertEquals(5, rowA.methods().get("orca").n());
        assertEquals(0.9, rowA.references().get("linear").mean(), 1e-12);
        assertEquals(0, rowA.references().get("linear").std(), 1e-12);
        assertEquals(List.of("orca", "finetune", "scratch"), a.methods);
        assertEquals(List.of("trivial", "linear"), a.references);
        assertEquals(8.0, rowA.alignBefore(), 0);
        // validation curves of 2 epochs: rising for seeds 0, 2, 4, flat (not improving) for seeds 1, 3
        assertEquals(3, rowA.stillImproving().get("finetune"));
    }

    @Test
    void stillImprovingReadsTheSelectionMetricsDirection() {
        RawRun base = run("B", "orca", 0, 0.3, "relative_l2", false, 1, 0.25);
        assertTrue(with(base, "relative_l2", List.of(0.5, 0.45, 0.4)).stillImproving());
        assertTrue(!with(base, "relative_l2", List.of(0.4, 0.45, 0.5)).stillImproving());
        assertTrue(!with(base, "relative_l2", List.of(0.4, 0.3, 0.3)).stillImproving(), "a tie with an earlier epoch is not improving");
        assertTrue(with(base, "accuracy", List.of(0.4, 0.5)).stillImproving());
        assertTrue(!with(base, "accuracy", List.of(0.5)).hasCurve(), "one epoch says nothing about the budget");
    }

    @Test
    void shortfallSaysWhyFromTheRunsThemselves() {
        // task C, orca: 0.5 0.6 0.5 0.6 0.5 against a trivial 0.5 -> seeds 0, 2, 4 tie it; curves rise on seeds 0, 2, 4
        Aggregate.TaskRow c = Aggregate.of(synthetic()).rows.get(2);
        String why = Aggregate.shortfall(c, "orca", false);
        assertTrue(why.contains("3 of 5 seeds no better than the trivial predictor"), why);
        assertTrue(why.contains("still improving at the last epoch in 3 of 5 runs: the budget of 2 epochs"), why);

        // every seed at the trivial value, curves peaking at epoch 2 of 4: nothing learnt, and not a budget problem
        List<RawRun> flat = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            RawRun r = run("D", "finetune", s, 0.5, "accuracy", true, 0.5, 0.8);
            RawRun curved = with(r, "accuracy", List.of(0.4, 0.6, 0.5, 0.5));
            flat.add(new RawRun(r.suite(), r.task(), r.data(), r.label(), r.method(), r.objective(), r.seed(), r.metric(), r.higherIsBetter(), r.test(), r.validation(),
                    r.reference(), r.seconds(), r.alignSeconds(), r.refineSeconds(), r.alignBefore(), r.alignAfter(), "accuracy", curved.curve(), 2, r.settings(),
                    r.commit(), r.hostCpu(), r.cores(), r.finished()));
        }
        String none = Aggregate.shortfall(Aggregate.of(flat).rows.getFirst(), "finetune", false);
        assertTrue(none.startsWith("no seed beats the trivial predictor"), none);
        assertTrue(none.contains("validation best at epoch 2 of 4 (median; 0 of 3 runs still improving"), none);
        assertTrue(!none.contains("ends too early"), none);

        // selected at the last epoch on a flat curve (ties): a plateau at the budget's end, not an early peak
        List<RawRun> plateau = new ArrayList<>();
        for (RawRun r : flat) plateau.add(new RawRun(r.suite(), r.task(), r.data(), r.label(), r.method(), r.objective(), r.seed(), r.metric(), r.higherIsBetter(),
                Map.of("accuracy", 0.7), r.validation(), r.reference(), r.seconds(), r.alignSeconds(), r.refineSeconds(), r.alignBefore(), r.alignAfter(), "accuracy",
                List.of(0.4, 0.6, 0.6, 0.6, 0.6), 5, r.settings(), r.commit(), r.hostCpu(), r.cores(), r.finished()));
        String late = Aggregate.shortfall(Aggregate.of(plateau).rows.getFirst(), "finetune", false);
        assertTrue(late.startsWith("validation best late (epoch 5 of 5, median) but strictly improving at the end in only 0 of 3 runs"), late);
        assertTrue(late.contains("untuned settings"), late);
        String tuned = Aggregate.shortfall(Aggregate.of(plateau).rows.getFirst(), "finetune", true);
        assertTrue(tuned.contains("the searched settings") && !tuned.contains("untuned"), tuned);
    }

    /**
     * Compared on accuracy but selected on AUROC (the tabular tasks): the reason names the selection metric and what
     * the method and the baselines score on it, since a model selected on AUROC need not have a good accuracy.
     */
    @Test
    void shortfallNamesASelectionMetricOtherThanTheComparedOne() {
        List<RawRun> runs = new ArrayList<>();
        double[] auroc = {0.70, 0.72, 0.74};
        for (int s = 0; s < 3; s++) {
            RawRun r = with(run("T", "orca", s, 0.5, "accuracy", true, 0.65, 0.76), "auroc", List.of(0.6, 0.7));
            runs.add(new RawRun(r.suite(), r.task(), r.data(), r.label(), r.method(), r.objective(), r.seed(), r.metric(), r.higherIsBetter(),
                    Map.of("accuracy", 0.5, "auroc", auroc[s]), r.validation(),
                    Map.of("trivial", Map.of("accuracy", 0.65, "auroc", 0.5), "linear", Map.of("accuracy", 0.76, "auroc", 0.84)), r.seconds(), r.alignSeconds(),
                    r.refineSeconds(), r.alignBefore(), r.alignAfter(), r.selectMetric(), r.curve(), r.bestEpoch(), r.settings(), r.commit(), r.hostCpu(), r.cores(), r.finished()));
        }
        String why = Aggregate.shortfall(Aggregate.of(runs).rows.getFirst(), "orca", true);
        assertTrue(why.startsWith("compared on accuracy, but its epochs and search were selected on auroc, where it scores 0.720 ("), why);
        assertTrue(why.contains("trivial 0.500") && why.contains("linear 0.840"), why);
        // selected on the compared metric: no such clause
        String same = Aggregate.shortfall(Aggregate.of(List.of(with(run("T", "orca", 0, 0.5, "accuracy", true, 0.65, 0.76), "accuracy", List.of(0.6, 0.7)))).rows.getFirst(), "orca", true);
        assertTrue(!same.contains("compared on"), same);
    }

    /** A suite resumed after a code change mixes commits: the page names them per task, not only all together. */
    @Test
    void commitsAreListedPerTask() {
        List<RawRun> runs = new ArrayList<>();
        for (RawRun r : synthetic()) {
            runs.add(!r.task().equals("B") ? r : new RawRun(r.suite(), r.task(), r.data(), r.label(), r.method(), r.objective(), r.seed(), r.metric(), r.higherIsBetter(),
                    r.test(), r.validation(), r.reference(), r.seconds(), r.alignSeconds(), r.refineSeconds(), r.alignBefore(), r.alignAfter(), r.selectMetric(), r.curve(),
                    r.bestEpoch(), r.settings(), r.seed() < 3 ? "abc" : "def", r.hostCpu(), r.cores(), r.finished()));
        }
        Aggregate a = Aggregate.of(runs);
        assertEquals(List.of("abc", "def"), List.copyOf(a.commits));
        assertEquals(List.of("abc"), List.copyOf(a.commitsByTask.get("A")));
        assertEquals(List.of("abc", "def"), List.copyOf(a.commitsByTask.get("B")));
    }

    private static RawRun with(RawRun r, String selectMetric, List<Double> curve) {
        return new RawRun(r.suite(), r.task(), r.data(), r.label(), r.method(), r.objective(), r.seed(), r.metric(), r.higherIsBetter(), r.test(), r.validation(),
                r.reference(), r.seconds(), r.alignSeconds(), r.refineSeconds(), r.alignBefore(), r.alignAfter(), selectMetric, curve, curve.size(), r.settings(),
                r.commit(), r.hostCpu(), r.cores(), r.finished());
    }

    @Test
    void winsTiesLossesRespectTheMetricDirection() {
        Aggregate a = Aggregate.of(synthetic());
        Map<String, Aggregate.Comparison> byTask = new java.util.HashMap<>();
        for (Aggregate.Comparison c : a.orcaVsFinetune) byTask.put(c.task(), c);
        assertEquals(Aggregate.Verdict.WIN, byTask.get("A").verdict());
        assertEquals(0.0625, byTask.get("A").test().p(), 1e-12);
        assertEquals(0.10, byTask.get("A").meanDifference(), 1e-12);
        // B: ORCA's relative L2 is 0.10 higher on every seed, i.e. worse
        assertEquals(Aggregate.Verdict.LOSS, byTask.get("B").verdict());
        assertEquals(-0.10, byTask.get("B").meanDifference(), 1e-12);
        assertEquals(0, byTask.get("B").orcaBetter());
        assertEquals(5, byTask.get("B").orcaWorse());
        // C: differences -.1 +.1 -.1 +.1 -.05: ranks 3.5 3.5 3.5 3.5 1 (ties averaged), W+ = 7, W- = 8
        assertEquals(Aggregate.Verdict.TIE, byTask.get("C").verdict());
        assertEquals(7, byTask.get("C").test().wPlus(), 1e-12);
        assertEquals(8, byTask.get("C").test().wMinus(), 1e-12);
    }

    @Test
    void averageRanksAcrossTasks() {
        // A (higher better): linear .9, orca .84, finetune .74, scratch .64, trivial .5 -> 1 2 3 4 5
        // B (lower better): finetune .22, linear .25, orca .32, scratch .42, trivial 1.0 -> 1 2 3 4 5
        // C: linear .6, finetune .55, orca = scratch .54 (shared rank 3.5), trivial .5
        Aggregate a = Aggregate.of(synthetic());
        Map<String, Double> avg = new java.util.HashMap<>();
        for (Aggregate.Rank r : a.ranks) avg.put(r.column(), r.averageRank());
        assertEquals((1 + 2 + 1) / 3.0, avg.get("linear"), 1e-12);
        assertEquals((3 + 1 + 2) / 3.0, avg.get("finetune"), 1e-12);
        assertEquals((2 + 3 + 3.5) / 3.0, avg.get("orca"), 1e-12);
        assertEquals((4 + 4 + 3.5) / 3.0, avg.get("scratch"), 1e-12);
        assertEquals(5.0, avg.get("trivial"), 1e-12);
        assertEquals("linear", a.ranks.getFirst().column());
    }

    @Test
    void rowsThatDoNotBeatTheBaselinesSaySo() {
        Aggregate a = Aggregate.of(synthetic());
        assertEquals(List.of("linear"), Aggregate.notBeaten(a.rows.get(0), "orca"));
        assertEquals(List.of(), Aggregate.notBeaten(a.rows.get(1), "finetune")); // .22 < .25 < 1.0: lower is better
        assertEquals(List.of("linear"), Aggregate.notBeaten(a.rows.get(1), "orca"));
        String md = ResultsPage.build(spec(), a, "orca suite --aggregate x.yaml --out x.md", new Provenance("abc", "cpu", 2), "2026-12-07", List.of()).markdown();
        assertTrue(md.contains("| A | does NOT beat linear (0.8400 vs 0.9000) |"), md);
        assertTrue(md.contains("**1 / 1 / 1** over 3 tasks"), md);
        assertTrue(md.contains("| B | relative_l2 ↓ |"), md);
        assertTrue(md.contains("Best average rank: linear (1.33)"), md);
        // stage 2: 8 -> 2 on each task
        assertTrue(md.contains("It fell on 3 of 3 tasks; before/after ranges from 4.00x to 4.00x."), md);
    }

    static SuiteSpec spec() {
        List<SuiteSpec.Task> tasks = List.of(new SuiteSpec.Task("A", "gen:A", null, Map.of(), ""), new SuiteSpec.Task("B", "gen:B", null, Map.of(), ""),
                new SuiteSpec.Task("C", "gen:C", null, Map.of(), ""));
        return new SuiteSpec(java.nio.file.Path.of("x.yaml"), "s", null, java.nio.file.Path.of("raw"), List.of("orca", "finetune", "scratch"), 5, "otdd",
                Map.of(), tasks, SuiteSpec.Ablation.NONE, null);
    }

    /** A tuned suite's page lists the configuration each method trained with: the settings of its lowest seed. */
    @Test
    void settingsComeFromEachLabelsLowestSeed() {
        List<RawRun> runs = new ArrayList<>();
        for (int seed = 2; seed >= 0; seed--) {
            RawRun r = run("T", "orca", seed, 0.5, "accuracy", true, 0.4, 0.45);
            runs.add(new RawRun(r.suite(), r.task(), r.data(), r.label(), r.method(), r.objective(), r.seed(), r.metric(), r.higherIsBetter(), r.test(),
                    r.validation(), r.reference(), r.seconds(), r.alignSeconds(), r.refineSeconds(), r.alignBefore(), r.alignAfter(), r.selectMetric(), r.curve(),
                    r.bestEpoch(), Map.of("lr", seed == 0 ? 3e-4 : 1e-3, "batch_size", 16), r.commit(), r.hostCpu(), r.cores(), r.finished()));
        }
        Aggregate a = Aggregate.of(runs);
        assertEquals(3e-4, a.settings.get("T").get("orca").get("lr"), "seed 0's settings, though it came last");
        assertEquals(16, a.settings.get("T").get("orca").get("batch_size"));
        SuiteSpec untuned = spec(), tuned = new SuiteSpec(untuned.file(), untuned.name(), null, untuned.results(), untuned.methods(), 3, "otdd", Map.of(),
                untuned.tasks(), SuiteSpec.Ablation.NONE, new SuiteSpec.Tune(6, 1, 9, 3, ""));
        String md = ResultsPage.build(tuned, a, "x", new Provenance("abc", "cpu", 2), "2026-12-07", List.of()).markdown();
        assertTrue(md.contains("| T | orca | - | 16 | 0.0003 |"), md);
        assertFalse(ResultsPage.build(untuned, a, "x", new Provenance("abc", "cpu", 2), "2026-12-07", List.of()).markdown().contains("search chose"));
    }
}
