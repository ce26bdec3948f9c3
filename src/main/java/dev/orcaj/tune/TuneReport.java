package dev.orcaj.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished search written for readers: {@value #JSON_FILE} (settings, every trial with its rungs, the best
 * configuration), {@value #TABLE_FILE} (the trial table as markdown) and {@value #HTML_FILE} (settings, trial table,
 * rung-score chart: {@link TuneHtml}), all from the trial store.
 */
public final class TuneReport {
    public static final String JSON_FILE = "tune.json", TABLE_FILE = "tune.md", HTML_FILE = "tune.html";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The answer of one search.
     *
     * @param flags      the best configuration as {@code orca run} flags (the target sequence length already a patch)
     * @param test       test metrics of the best trial's final model (empty when it did not reach the top rung)
     */
    public record Best(String method, String trial, TrialConfig config, Map<String, String> flags, int rung, int epochs, double score,
                       Map<String, Double> validation, Map<String, Double> test) {}

    /**
     * The settings of a search, the same for every method it compares.
     *
     * @param fixed the run flags every trial shares (task, body, the flags not searched)
     */
    public record Setup(Asha.Settings budget, SearchSpace space, long seed, Search.Order order, int parallel, int threadsPerTrial, String executor,
                        Map<String, String> fixed) {
        public Setup { fixed = Map.copyOf(fixed); }
    }

    /** One method's finished search as the store holds it; {@code best} null when every trial failed. */
    public record MethodSearch(String method, List<TrialStore.Trial> trials, List<TrialStore.Rung> rungs, Best best) {
        public MethodSearch { trials = List.copyOf(trials); rungs = List.copyOf(rungs); }
    }

    private TuneReport() {}

    /** Writes the three files of one method's search into {@code dir} and returns what they show. */
    public static MethodSearch write(Path dir, String method, Setup setup, TrialStore store, Best best) throws IOException {
        Asha.Settings budget = setup.budget();
        SearchSpace space = setup.space();
        long seed = setup.seed();
        Search.Order order = setup.order();
        List<TrialStore.Trial> trials = store.trials();
        List<TrialStore.Rung> rungs = store.rungs();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("method", method);
        json.put("trials", budget.trials());
        json.put("min_epochs", budget.minEpochs());
        json.put("max_epochs", budget.maxEpochs());
        json.put("eta", budget.eta());
        List<Integer> rungEpochs = new ArrayList<>();
        for (int k = 0; k <= budget.topRung(); k++) rungEpochs.add(budget.rungEpochs(k));
        json.put("rung_epochs", rungEpochs);
        json.put("seed", seed);
        json.put("order", order.name().toLowerCase(Locale.ROOT));
        json.put("parallel", setup.parallel());
        json.put("threads_per_trial", setup.threadsPerTrial());
        json.put("executor", setup.executor());
        json.put("space", space.toString());
        json.put("best", best);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrialStore.Trial t : trials) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", t.trialId());
            row.put("config", TrialConfig.ofFlags(t.config()).toString());
            List<Map<String, Object>> rs = new ArrayList<>();
            for (TrialStore.Rung r : rungs) {
                if (!r.trialId().equals(t.trialId())) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rung", r.rung());
                m.put("epochs", r.epochs());
                m.put("status", r.status().name().toLowerCase(Locale.ROOT));
                if (r.status() == TrialStore.Status.DONE) {
                    m.put("score", r.score());
                    m.put("validation", new TreeMap<>(r.validation()));
                    m.put("seconds", r.seconds());
                }
                if (r.error() != null) m.put("error", r.error());
                m.put("attempts", r.attempts());
                rs.add(m);
            }
            row.put("rungs", rs);
            rows.add(row);
        }
        json.put("trial_table", rows);
        byte[] bytes = JSON.writeValueAsBytes(json);
        AtomicFiles.write(dir.resolve(JSON_FILE), out -> out.write(bytes));
        byte[] table = markdown(method, budget, space, seed, order, trials, rungs, best).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(TABLE_FILE), out -> out.write(table));
        MethodSearch result = new MethodSearch(method, trials, rungs, best);
        writeHtml(dir, setup, List.of(result));
        return result;
    }

    /** {@value #HTML_FILE} in {@code dir}: the settings and each method's trial table (one method, or the summary of all). */
    public static void writeHtml(Path dir, Setup setup, List<MethodSearch> searches) throws IOException {
        byte[] html = TuneHtml.render(setup, searches).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(dir.resolve(HTML_FILE), out -> out.write(html));
    }

    static String markdown(String method, Asha.Settings budget, SearchSpace space, long seed, Search.Order order, List<TrialStore.Trial> trials,
                           List<TrialStore.Rung> rungs, Best best) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ASHA search: ").append(method).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d trials, eta %d, rungs of %s stage-3 epochs (schedule over %d), seed %d, %s order%n", budget.trials(), budget.eta(),
                rungList(budget), budget.maxEpochs(), seed, order.name().toLowerCase(Locale.ROOT)));
        sb.append("search space: `").append(space).append("`\n\n");
        if (best == null) sb.append("**No trial finished**: every rung failed (see the error column).\n\n");
        else {
            sb.append(String.format(Locale.ROOT, "**Best: %s** (rung %d, %d epochs), validation score %s %s%s%n%n", best.trial(), best.rung(), best.epochs(), num(best.score()),
                    best.validation(), best.test().isEmpty() ? "" : ", test " + best.test()));
            sb.append("`").append(best.config()).append("`\n\n");
        }
        sb.append("Scores are the validation selection score (higher is better) of the best epoch so far; `^` = promoted to the next rung.\n\n");
        sb.append("| trial | config |");
        for (int k = 0; k <= budget.topRung(); k++) sb.append(" rung ").append(k).append(" (").append(budget.rungEpochs(k)).append(" ep) |");
        sb.append(" note |\n|---|---|");
        sb.append("---|".repeat(budget.topRung() + 2)).append('\n');
        for (TrialStore.Trial t : trials) {
            boolean isBest = best != null && best.trial().equals(t.trialId());
            sb.append("| ").append(isBest ? "**" + t.trialId() + "**" : t.trialId()).append(" | ").append(TrialConfig.ofFlags(t.config())).append(" |");
            for (String c : rungCells(t.trialId(), rungs, budget.topRung())) sb.append(' ').append(c).append(" |");
            sb.append(' ').append(note(t.trialId(), rungs).replace('|', '/')).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * A trial's row of rung cells, the same in every table: its score (the validation selection score of the best epoch
     * so far), "running" or "failed", and " ^" after each rung it was promoted from; empty where it never ran.
     */
    static String[] rungCells(String trialId, List<TrialStore.Rung> rungs, int topRung) {
        String[] cells = new String[topRung + 1];
        java.util.Arrays.fill(cells, "");
        int highest = -1;
        for (TrialStore.Rung r : rungs) {
            if (!r.trialId().equals(trialId)) continue;
            highest = Math.max(highest, r.rung());
            cells[r.rung()] = switch (r.status()) {
                case DONE -> num(r.score());
                case RUNNING -> "running";
                case FAILED -> "failed";
            };
        }
        for (int k = 0; k < highest; k++) cells[k] += " ^";
        return cells;
    }

    /** The first line of the trial's last rung error, or "". */
    static String note(String trialId, List<TrialStore.Rung> rungs) {
        String note = "";
        for (TrialStore.Rung r : rungs) {
            if (r.trialId().equals(trialId) && r.error() != null) note = r.error().lines().findFirst().orElse("");
        }
        return note;
    }

    static String rungList(Asha.Settings b) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k <= b.topRung(); k++) out.add(Integer.toString(b.rungEpochs(k)));
        return String.join("/", out);
    }

    static String num(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
