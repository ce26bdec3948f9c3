package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.io.onnx.MiniLmWeights;
import dev.orcaj.io.tokenize.WordPieceTokenizer;
import dev.orcaj.models.Body;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.orca.baselines.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * All three ORCA stages on real data with the real pretrained MiniLM body and the WordNet source proxy, with small
 * budgets: a UCR ECG set, an OpenML-CC18 tabular set and Darcy flow 16x16. Each must lower the stage-2 OTDD, lower
 * the training loss, and beat the task's trivial reference baseline ({@link Reference}: the majority class, the
 * training-mean field) on held-out test data by a margin ({@value #MARGIN} of its score). A model that learnt nothing
 * scores the trivial predictor's value (Darcy: about 0.49 relative L2), so "below 1.0" would not catch it. Each test
 * prints the comparison with the linear reference model too; these small budgets are not asserted to beat it (the
 * measured outcomes are in the comments). Darcy needs a larger budget and is tagged "scale" (see {@link #darcy16()}).
 */
class OrcaEndToEndTest {
    /** Relative margin over the trivial predictor's score. */
    static final double MARGIN = 0.05;
    static final Path DATA = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data");
    static Map<String, dev.orcaj.io.NdArray> weights;
    static SourceFeatures source;

    @BeforeAll
    static void loadBody() throws Exception {
        weights = MiniLmWeights.load();
        source = SourceProxy.wordnet(body(), WordPieceTokenizer.miniLm(), "builtin-minilm", 5, 500, 32, 0, null);
    }

    static BertModel body() { return BertModel.fromStateDict(MiniLmWeights.config(), weights, "minilm"); }

    static OrcaRun.Outcome orca(TaskLoader.LoadedTask t, ArrayDataset train, int patch, TrainConfig cfg) {
        Supplier<Body> b = OrcaEndToEndTest::body;
        var settings = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 8, 48, patch, false, cfg);
        OrcaRun.Outcome o = OrcaRun.run(t.spec(), train, t.val(), t.test(), b, () -> AlignmentLoss.create(Objective.OTDD, source), settings, new Progress(System.out));
        assertTrue(o.align().after() < o.align().before(), t.spec().name() + ": stage 2 lowers the OTDD " + o.align().before() + " -> " + o.align().after());
        List<RefineStage.EpochLog> e = o.refine().epochs();
        assertTrue(e.getLast().trainLoss() < e.getFirst().trainLoss(), t.spec().name() + ": training loss falls " + e.getFirst().trainLoss() + " -> " + e.getLast().trainLoss());
        return o;
    }

    /** The task's reference baselines, the linear model's L2 chosen under the family's default selection metric (as the runs here). */
    static Reference reference(TaskLoader.LoadedTask t) {
        return Reference.compute(t.spec(), t.train(), t.val(), t.test(), ModelSelection.defaults(t.spec(), t.tabular()), 0);
    }

    /** The run's test {@code metric} is better than the baseline's by {@code margin} of the baseline's value. */
    static void assertBeats(String task, String metric, OrcaRun.Outcome o, Reference.Baseline b, double margin) {
        double v = o.refine().test().get(metric), base = b.test().get(metric);
        double bar = Evaluator.higherIsBetter(metric) ? base * (1 + margin) : base * (1 - margin);
        assertTrue(Report.beats(metric, v, bar), task + ": test " + metric + " " + v + " beats the " + b.name() + " baseline (" + b.model() + ") " + base + " by " + margin * 100 + "%");
    }

    static void printComparison(String task, OrcaRun.Outcome o, Reference r) {
        System.out.println(task + ":");
        Report.comparison(List.of(new Report.Entry("orca", 0, o)), r).forEach(System.out::println);
    }

    @Test
    void ecg200() throws Exception {
        var t = TaskLoader.load("ucr:" + DATA.resolve("ucr-archive-2018/ECG200"), 0.2, 0);
        var o = orca(t, t.train(), 4, new TrainConfig(OptimizerKind.ADAMW, 1e-4, 1e-5, 0.9, 8, 16, 1, 1.0, 1, 8, false, 0, false, 0, 0));
        Reference r = reference(t);
        printComparison("ECG200", o, r);
        assertBeats("ECG200", "accuracy", o, r.trivial(), MARGIN);
    }

    @Test
    void openmlDiabetes() throws Exception {
        var t = TaskLoader.load("arff:" + DATA.resolve("openml-cc18/diabetes.arff"), 0.2, 0);
        var o = orca(t, t.train(), 0, new TrainConfig(OptimizerKind.ADAMW, 1e-4, 1e-5, 0.9, 4, 32, 1, 1.0, 1, 4, false, 0, true, 0, 0));
        Reference r = reference(t);
        printComparison("diabetes", o, r);
        // Tabular tasks train with class-weighted cross-entropy (spec section 2), which trades accuracy on the majority
        // class for recall on the minority one; the fair "beats the majority-class predictor" check is macro F1.
        assertBeats("diabetes", "macro_f1", o, r.trivial(), MARGIN);
    }

    /**
     * Darcy must beat the training-mean field (relative L2 about 0.49), which needs the budget of docs/RESULTS-untuned.md:
     * all 800 training rows, 20 stage-2 epochs, 3 stage-3 epochs of batch 32 (measured: validation 0.41 after epoch 2).
     * The earlier quick budget (96 rows, 8 + 4 epochs) ends at 0.58, worse than the mean field (so did 4x that budget,
     * 0.55, and lr 3e-3 / 1e-2, 0.64): too slow for the default suite, so this test is tagged "scale"
     * ({@code -Dtest.excludedGroups=none -Dtest=OrcaEndToEndTest#darcy16}).
     */
    @Test
    @org.junit.jupiter.api.Tag("scale")
    void darcy16() throws Exception {
        var t = TaskLoader.load("darcy:" + DATA.resolve("neuralop-darcy-small"), 0.2, 0);
        Supplier<Body> b = OrcaEndToEndTest::body;
        var settings = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 20, 64, 4, false, new TrainConfig(OptimizerKind.ADAMW, 1e-3, 1e-5, 0.9, 3, 32, 1, 1.0, 1, 3, false, 0, false, 0, 0));
        OrcaRun.Outcome o = OrcaRun.run(t.spec(), t.train(), t.val(), t.test(), b, () -> AlignmentLoss.create(Objective.OTDD, source), settings, new Progress(System.out));
        assertTrue(o.align().after() < o.align().before(), "stage 2 lowers the OTDD " + o.align().before() + " -> " + o.align().after());
        Reference r = reference(t);
        printComparison("Darcy 16x16", o, r);
        assertBeats("Darcy 16x16", "relative_l2", o, r.trivial(), MARGIN);
        // not against the linear model: ridge on the flattened field scores 0.2405 here, and this 3-epoch budget does not
        // reach it (issue 13: 0.455 at this budget; 20 epochs reach 0.141). A larger budget belongs to the results suite.
    }
}
