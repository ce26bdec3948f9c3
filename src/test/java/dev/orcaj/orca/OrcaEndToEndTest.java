package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Targets;
import dev.orcaj.io.onnx.MiniLmWeights;
import dev.orcaj.io.tokenize.WordPieceTokenizer;
import dev.orcaj.models.Body;
import dev.orcaj.metrics.RelativeL2;
import dev.orcaj.models.bert.BertModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * All three ORCA stages on real data with the real pretrained MiniLM body and the WordNet source proxy, with small
 * budgets: a UCR ECG set, an OpenML-CC18 tabular set and Darcy flow 16x16. Each must lower the stage-2 OTDD, lower
 * the training loss, and beat the trivial predictor on held-out test data by a margin ({@value #MARGIN} of the
 * trivial score): the majority class for classification, the training-mean field for Darcy. A model that learnt
 * nothing scores the trivial predictor's value (Darcy: about 0.49 relative L2), so "below 1.0" would not catch it.
 * Darcy needs a larger budget to get there and is tagged "scale" (see {@link #darcy16()}).
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

    static double majorityRate(ArrayDataset test) {
        int[] counts = new int[test.numClasses()];
        for (int l : test.labels()) counts[l]++;
        return (double) Arrays.stream(counts).max().orElseThrow() / test.size();
    }

    @Test
    void ecg200() throws Exception {
        var t = TaskLoader.load("ucr:" + DATA.resolve("ucr-archive-2018/ECG200"), 0.2, 0);
        var o = orca(t, t.train(), 4, new TrainConfig(OptimizerKind.ADAMW, 1e-4, 1e-5, 0.9, 8, 16, 1, 1.0, 1, 8, false, 0, false, 0, 0));
        double trivial = majorityRate(t.test());
        assertTrue(o.refine().test().get("accuracy") > trivial * (1 + MARGIN), "ECG200 beats the majority rate " + trivial + " by " + MARGIN * 100 + "%: " + o.refine().test());
    }

    @Test
    void openmlDiabetes() throws Exception {
        var t = TaskLoader.load("arff:" + DATA.resolve("openml-cc18/diabetes.arff"), 0.2, 0);
        var o = orca(t, t.train(), 0, new TrainConfig(OptimizerKind.ADAMW, 1e-4, 1e-5, 0.9, 4, 32, 1, 1.0, 1, 4, false, 0, true, 0, 0));
        // Tabular tasks train with class-weighted cross-entropy (spec section 2), which trades accuracy on the majority
        // class for recall on the minority one; the fair "beats the majority-class predictor" check is macro F1.
        double p = majorityRate(t.test()), majorityF1 = p / (1 + p); // F1 of the majority class when always predicted; the other class scores 0
        assertTrue(o.refine().test().get("macro_f1") > majorityF1 * (1 + MARGIN), "diabetes macro F1 beats the majority predictor's " + majorityF1 + " by " + MARGIN * 100 + "%: " + o.refine().test());
    }

    /**
     * Darcy must beat the training-mean field (relative L2 about 0.49), which needs the budget of docs/RESULTS.md:
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
        double trivial = meanFieldRelativeL2(t.train(), t.test());
        assertTrue(o.refine().test().get("relative_l2") < trivial * (1 - MARGIN), "Darcy relative L2 below the training-mean field's " + trivial + " by " + MARGIN * 100 + "%: " + o.refine().test());
    }

    /** Relative L2 on {@code test} of the trivial predictor that outputs the mean training target field for every input. */
    static double meanFieldRelativeL2(ArrayDataset train, ArrayDataset test) {
        float[] yTrain = ((Targets.DenseTargets) train.targets()).values(), yTest = ((Targets.DenseTargets) test.targets()).values();
        int m = yTrain.length / train.size();
        double[] mean = new double[m];
        for (int i = 0; i < yTrain.length; i++) mean[i % m] += yTrain[i] / (double) train.size();
        float[] predicted = new float[yTest.length];
        for (int i = 0; i < predicted.length; i++) predicted[i] = (float) mean[i % m];
        return RelativeL2.of(predicted, yTest, test.size());
    }
}
