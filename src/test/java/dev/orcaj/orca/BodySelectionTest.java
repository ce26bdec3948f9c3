package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.io.BertConfig;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.NdArray;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --body auto} on two tiny random BERT bodies of one width (TinyTask's config and a deeper one, other seed):
 * the selection reports for each candidate the stage-2 distances that a separate {@link OrcaRun#align} with the same
 * settings reaches, and chooses the one whose final distance is smaller. Each body gets its own source proxy (as each
 * real body has its own tokenizer and embeddings); the far source is given to the first candidate, so a selection
 * that kept the first or the larger would fail.
 */
public class BodySelectionTest {
    @TempDir Path dir;

    static final BertConfig DEEPER = new BertConfig("bert", 16, 16, 3, 2, 32, "gelu", 16, 2, 1e-12, 0);
    static final OrcaRun.Settings SETTINGS = new OrcaRun.Settings(OrcaRun.Method.FINETUNE, Objective.OTDD, 4, 16, 0, false, TrainConfig.defaults().withEpochs(1).withSeed(3));

    public static Path checkpoint(Path dir, String name, BertConfig config, long seed) throws Exception {
        Body b = Bodies.random(config, seed);
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        b.module().namedParameters().forEach((n, p) -> { if (!p.isBuffer()) tensors.put(n, NdArray.ofFloats(p.get().toFloatArray(), p.get().shape())); });
        Path file = dir.resolve(name + ".safetensors");
        EngineCheckpoint.write(file, config, tensors);
        return file;
    }

    /** Labelled random source features of width {@code d} centred at {@code offset}. */
    static SourceFeatures source(int d, double offset) {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 30;
        float[] f = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int c = 0; c < d; c++) f[i * d + c] = (float) (rng.nextGaussian() + labels[i] + offset);
        }
        return new SourceFeatures(f, n, d, labels, 3, "offset " + offset);
    }

    @Test
    void choosesTheCandidateWithTheSmallerFinalDistance() throws Exception {
        List<BodySource> candidates = List.of(BodySource.parse(checkpoint(dir, "far", TinyTask.CONFIG, 7).toString()),
                BodySource.parse(checkpoint(dir, "near", DEEPER, 8).toString()));
        Map<String, SourceFeatures> sources = Map.of(candidates.get(0).name(), source(16, 6.0), candidates.get(1).name(), source(16, 0.0));
        ArrayDataset train = TinyTask.data(40, 1);
        BodySelection.Result r = BodySelection.select(candidates, TinyTask.SPEC, train, (c, b) -> sources.get(c.name()),
                s -> AlignmentLoss.create(Objective.OTDD, s), SETTINGS, Progress.SILENT);

        double[] after = new double[2];
        for (int i = 0; i < 2; i++) {
            BodySource c = candidates.get(i);
            OrcaRun.Settings orca = new OrcaRun.Settings(OrcaRun.Method.ORCA, Objective.OTDD, 4, 16, 0, false, SETTINGS.train());
            AlignStage.Result alone = OrcaRun.align(TinyTask.SPEC, train, c.supplier(), () -> AlignmentLoss.create(Objective.OTDD, sources.get(c.name())), orca, Progress.SILENT).result();
            assertEquals(alone.after(), r.candidates().get(i).after(), 1e-12, c.name() + ": the selection's stage 2 is the ORCA run's stage 2");
            assertEquals(alone.before(), r.candidates().get(i).before(), 1e-12, c.name());
            assertTrue(alone.after() < alone.before(), c.name() + ": stage 2 lowered the distance " + alone.before() + " -> " + alone.after());
            after[i] = alone.after();
        }
        assertTrue(after[1] < after[0], "the near source ends closer: " + after[0] + " vs " + after[1]);
        assertEquals(1, r.chosen());
        assertEquals(candidates.get(1), r.chosenSource());
        Map<String, Object> json = r.json();
        assertEquals(candidates.get(1).name(), json.get("chosen"));
        assertEquals(2, ((List<?>) json.get("candidates")).size());
        assertTrue(r.lines().getLast().contains("chosen body: " + candidates.get(1).name()), r.lines().toString());
        assertTrue(r.lines().get(1).contains(" far.safetensors ") && !r.lines().get(1).contains(dir.toString()), "table rows show file names: " + r.lines());
        assertTrue(r.lines().get(2).startsWith("  * near.safetensors"), "the chosen row is starred: " + r.lines());
        assertEquals("bge-small=x.jar", BodySelection.Result.label("bge-small=/a/b/x.jar"));
        assertEquals("e5-small", BodySelection.Result.label("e5-small"));
    }

    @Test
    void candidatesOfAnotherWidthAreRefused() throws Exception {
        BertConfig narrow = new BertConfig("bert", 16, 8, 2, 2, 16, "gelu", 16, 2, 1e-12, 0);
        List<BodySource> candidates = List.of(BodySource.parse(checkpoint(dir, "w16", TinyTask.CONFIG, 7).toString()),
                BodySource.parse(checkpoint(dir, "w8", narrow, 7).toString()));
        var e = assertThrows(IllegalArgumentException.class, () -> BodySelection.select(candidates, TinyTask.SPEC, TinyTask.data(40, 1),
                (c, b) -> source(b.hiddenSize(), 0), s -> AlignmentLoss.create(Objective.OTDD, s), SETTINGS, Progress.SILENT));
        assertTrue(e.getMessage().contains("hidden 8") && e.getMessage().contains("hidden 16") && e.getMessage().contains("not on one scale"), e.getMessage());
    }

    @Test
    void candidateListsAreParsedAndBadNamesRefusedByName() throws Exception {
        List<BodySource> all = BodySource.candidates("auto");
        assertEquals(List.of("minilm", "bge-small", "e5-small"), all.stream().map(BodySource::name).toList(), "every pretrained body on the (test) classpath");
        Path tiny = checkpoint(dir, "tiny", TinyTask.CONFIG, 7);
        List<BodySource> two = BodySource.candidates("auto:e5-small," + tiny);
        assertEquals(List.of("e5-small", tiny.toString()), two.stream().map(BodySource::name).toList());
        assertTrue(two.get(1) instanceof BodySource.Checkpoint);

        var bad = assertThrows(IllegalArgumentException.class, () -> BodySource.candidates("auto:minilm,bert-large"));
        assertTrue(bad.getMessage().contains("candidate 'bert-large' is not a body") && bad.getMessage().contains("minilm, bge-small, e5-small"), bad.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> BodySource.candidates("auto:minilm,minilm"));
        assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> BodySource.candidates("auto:minilm,"));
        assertTrue(empty.getMessage().contains("empty candidate"), empty.getMessage());
        var nested = assertThrows(IllegalArgumentException.class, () -> BodySource.candidates("auto:auto"));
        assertTrue(nested.getMessage().contains("cannot itself be auto"), nested.getMessage());
        var jar = assertThrows(IllegalArgumentException.class, () -> BodySource.candidates("auto:bge-small=" + dir.resolve("missing.jar")));
        assertTrue(jar.getMessage().contains("candidate 'bge-small=") && jar.getMessage().contains("no such file"), jar.getMessage());
        assertNotEquals(null, BodySource.parse("bge-small"));
    }
}
