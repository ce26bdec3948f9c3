package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.models.Body;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code --body auto}: which pretrained body to fine-tune, chosen by the distance stage 2 reaches (issue 13 item 5;
 * the paper's claim, section 4.2/Figure 5, is that a smaller final OTDD goes with better transfer). For each
 * candidate in turn: a fresh body, the source proxy through its own tokenizer and embedding layer, stage 1 and stage 2
 * with the same budget and seed; the candidate whose final distance ({@link AlignStage.Result#after()}) is smallest
 * is chosen, ties going to the earlier one. At most two candidates' weights are alive at a time: the best so far,
 * aligned (kept so that the chosen body's ORCA run need not align again), and the one being aligned.
 *
 * <p>Assumption: distances of different bodies are on one scale only when the bodies share modality and hidden width
 * (every embedded body: 384); candidates that differ are refused rather than compared. Even at one width each body
 * has its own source features, so the comparison is of "how close can this task get to this body's own text", which is
 * what the paper compares too.
 */
public final class BodySelection {

    /** One candidate's stage 2: the distance before and after alignment, or why it failed (then after is NaN). */
    public record Candidate(String name, int hiddenSize, double before, double after, double seconds, String failure) {}

    /**
     * All candidates in the order tried; {@code chosen} indexes {@code candidates} and {@code sources}.
     * {@code chosenAligned} is the chosen body's model after stage 2 and {@code chosenFeatures} its source proxy: an
     * ORCA run with the same settings and seed continues from them ({@link Experiment#withAligned}) instead of
     * aligning again.
     */
    public record Result(Objective objective, int alignEpochs, List<Candidate> candidates, List<BodySource> sources, int chosen,
                         OrcaRun.Aligned chosenAligned, SourceFeatures chosenFeatures) {
        public BodySource chosenSource() { return sources.get(chosen); }

        public Candidate choice() { return candidates.get(chosen); }

        /** The metrics.json block "body_selection". */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("objective", objective.flag());
            m.put("align_epochs", alignEpochs);
            m.put("rule", "smallest final stage-2 distance (after alignment)");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Candidate c : candidates) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("body", c.name());
                r.put("hidden_size", c.hiddenSize());
                r.put("before", finiteOrNull(c.before()));
                r.put("after", finiteOrNull(c.after()));
                r.put("seconds", c.seconds());
                if (c.failure() != null) r.put("failure", c.failure());
                rows.add(r);
            }
            m.put("candidates", rows);
            m.put("chosen", choice().name());
            return m;
        }

        /** The printed table, one line per candidate, then the choice. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add("body selection (" + objective.flag() + ", " + alignEpochs + " stage-2 epochs each):");
            int w = candidates.stream().mapToInt(c -> label(c.name()).length()).max().orElse(4);
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                String row = c.failure() != null ? "failed: " + c.failure()
                        : String.format(Locale.ROOT, "before %.5g  after %.5g  (%.1f s)", c.before(), c.after(), c.seconds());
                out.add(String.format(Locale.ROOT, "  %s %-" + w + "s  %s", i == chosen ? "*" : " ", label(c.name()), row));
            }
            out.add("chosen body: " + choice().name() + " (smallest final " + objective.flag() + ")");
            return out;
        }

        /** A table label: NAME=PATH and checkpoint paths shortened to their file name (the choice line and metrics.json keep the whole). */
        static String label(String name) {
            int eq = name.indexOf('=');
            String path = eq < 0 ? name : name.substring(eq + 1);
            if (!path.contains("/")) return name;
            java.nio.file.Path file = java.nio.file.Path.of(path).getFileName();
            return (eq < 0 ? "" : name.substring(0, eq + 1)) + (file == null ? path : file.toString());
        }

        private static Double finiteOrNull(double v) { return Double.isFinite(v) ? v : null; }
    }

    /** The source proxy of one candidate: through {@code body}'s own tokenizer (or image pipeline) and embedding layer. */
    @FunctionalInterface
    public interface SourceFor {
        SourceFeatures of(BodySource source, Body body) throws IOException;
    }

    private BodySelection() {}

    /**
     * The selection of {@code orca run --body auto}: each candidate's source proxy built by {@code source} (WordNet
     * through the candidate's own tokenizer, by default), stage 2 as the experiment's ORCA run with its first seed;
     * progress and the source proxies are reported on {@code log}.
     */
    public static Result select(List<BodySource> candidates, TaskLoader.LoadedTask task, SourceSpec source, Experiment.Settings settings, java.io.PrintStream log) throws IOException {
        return select(candidates, task.spec(), task.train(), (c, body) -> source.features(body, c.name(), settings.seed(), log),
                src -> AlignmentLoss.create(settings.objective(), src), settings.forRun(OrcaRun.Method.ORCA, settings.seed()), new Progress(log));
    }

    /**
     * Runs stage 1 + 2 for every candidate with {@code settings} (its method is taken as ORCA) and chooses one.
     * {@code objective} builds the stage-2 distance from a candidate's source features.
     */
    public static Result select(List<BodySource> candidates, TaskSpec task, ArrayDataset train, SourceFor source,
                                Function<SourceFeatures, AlignmentLoss> objective, OrcaRun.Settings settings, Progress progress) throws IOException {
        if (candidates.isEmpty()) throw new IllegalArgumentException("--body auto: no candidate bodies");
        OrcaRun.Settings s = new OrcaRun.Settings(OrcaRun.Method.ORCA, settings.objective(), settings.alignEpochs(), settings.maxSamples(), settings.patch(),
                settings.pooledDense(), settings.train(), settings.warmInit());
        List<Candidate> results = new ArrayList<>();
        String firstName = null;
        int firstWidth = 0;
        Body.Modality firstModality = null;
        int chosen = -1;
        OrcaRun.Aligned best = null;
        SourceFeatures bestFeatures = null;
        for (BodySource c : candidates) {
            progress.startStage("body selection: " + c.name());
            Body body = c.load();
            if (firstName == null) {
                firstName = c.name();
                firstWidth = body.hiddenSize();
                firstModality = body.modality();
            } else if (body.hiddenSize() != firstWidth || body.modality() != firstModality) {
                throw new IllegalArgumentException("--body auto: candidate " + c.name() + " (" + body.modality().name().toLowerCase(Locale.ROOT) + ", hidden "
                        + body.hiddenSize() + ") and " + firstName + " (" + firstModality.name().toLowerCase(Locale.ROOT) + ", hidden " + firstWidth
                        + ") differ: their stage-2 distances are not on one scale; list candidates of one modality and hidden width");
            }
            int width = body.hiddenSize();
            SourceFeatures src = source.of(c, body);
            Candidate r;
            OrcaRun.Aligned aligned = null;
            try {
                aligned = OrcaRun.align(task, train, () -> body, () -> objective.apply(src), s, progress);
                AlignStage.Result a = aligned.result();
                r = new Candidate(c.name(), width, a.before(), a.after(), a.seconds(), null);
            } catch (ArithmeticException diverged) {
                r = new Candidate(c.name(), width, Double.NaN, Double.NaN, 0, diverged.getMessage());
            }
            results.add(r);
            if (r.failure() == null && (chosen < 0 || r.after() < results.get(chosen).after())) {
                chosen = results.size() - 1;
                best = aligned;
                bestFeatures = src;
            }
        }
        if (chosen < 0) throw new ArithmeticException("--body auto: stage 2 failed for every candidate: " + results.getFirst().failure());
        return new Result(s.objective(), s.alignEpochs(), List.copyOf(results), List.copyOf(candidates), chosen, best, bestFeatures);
    }
}
