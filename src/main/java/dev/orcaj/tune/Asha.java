package dev.orcaj.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asynchronous successive halving (Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning",
 * Algorithm 2, minimum early-stopping rate s = 0) as a state machine: {@link #next()} is the paper's get_job and
 * {@link #report} records a finished job. Rung k trains to {@link Settings#rungEpochs(int)} stage-3 epochs; a trial
 * is promotable from rung k when it is among the best floor(|rung k| / eta) results recorded there and was not
 * promoted before; get_job promotes from the highest rung down, else draws a new trial into the bottom rung, until
 * {@link Settings#trials()} trials are drawn. Ties rank the earlier-drawn trial first, so the decisions depend only on
 * the order in which results are reported.
 */
public final class Asha {

    /**
     * The budget of one search, the same for every method compared.
     *
     * @param trials    configurations drawn in total
     * @param minEpochs r: epochs of the bottom rung
     * @param maxEpochs R: epochs of the top rung; the learning-rate schedule of every trial spans R
     * @param eta       reduction factor: about 1/eta of a rung is promoted, rung budgets grow by eta
     */
    public record Settings(int trials, int minEpochs, int maxEpochs, int eta) {
        public Settings {
            if (trials < 1) throw new IllegalArgumentException("--trials must be >= 1, got " + trials);
            if (minEpochs < 1) throw new IllegalArgumentException("--min-epochs must be >= 1, got " + minEpochs);
            if (maxEpochs < minEpochs) throw new IllegalArgumentException("--max-epochs " + maxEpochs + " is below --min-epochs " + minEpochs);
            if (eta < 2) throw new IllegalArgumentException("--eta must be >= 2, got " + eta);
        }

        /** Index of the top rung: floor(log_eta(R / r)). */
        public int topRung() {
            int k = 0;
            for (long e = (long) minEpochs * eta; e <= maxEpochs; e *= eta) k++;
            return k;
        }

        /** r * eta^k below the top rung; the top rung trains the whole R (the schedule's end). */
        public int rungEpochs(int rung) {
            if (rung < 0 || rung > topRung()) throw new IllegalArgumentException("rung " + rung + " outside 0.." + topRung());
            if (rung == topRung()) return maxEpochs;
            long e = minEpochs;
            for (int i = 0; i < rung; i++) e *= eta;
            return (int) e;
        }
    }

    /** One unit of work: train trial {@code trial} (drawn {@code trial}-th, 0-based) to rung {@code rung}. */
    public record Job(int trial, int rung) {
        public boolean promotion() { return rung > 0; }
    }

    private final Settings settings;
    private final List<Map<Integer, double[]>> results = new ArrayList<>(); // per rung: trial -> {score, tie-break}, in report order
    private final List<Set<Integer>> promoted = new ArrayList<>();          // per rung: trials promoted out of it
    private int drawn;

    public Asha(Settings settings) {
        this.settings = settings;
        for (int k = 0; k <= settings.topRung(); k++) {
            results.add(new LinkedHashMap<>());
            promoted.add(new HashSet<>());
        }
    }

    public Settings settings() { return settings; }

    /** get_job: the best promotable trial of the highest rung that has one, else a new trial, else null (wait or stop). */
    public Job next() {
        for (int k = settings.topRung() - 1; k >= 0; k--) {
            List<Integer> top = ranking(k);
            top = top.subList(0, results.get(k).size() / settings.eta());
            for (int t : top) {
                if (promoted.get(k).contains(t) || results.get(k).get(t)[0] == Double.NEGATIVE_INFINITY) continue; // a failed trial is never promoted
                promoted.get(k).add(t);
                return new Job(t, k + 1);
            }
        }
        return drawn < settings.trials() ? new Job(drawn++, 0) : null;
    }

    /** Records the validation score (higher is better; -infinity for a failed job) of trial {@code trial} at rung {@code rung}. */
    public void report(int trial, int rung, double score) { report(trial, rung, score, Double.NaN); }

    /**
     * As {@link #report(int, int, double)}, with a second score (higher is better; NaN = none, ranked below any number)
     * that orders trials whose scores are equal: on a small validation split many configurations share one accuracy
     * (20 ECG200 rows: every trial scored 0.70), and promoting by trial order would make the search a lottery.
     */
    public void report(int trial, int rung, double score, double tieBreak) {
        if (Double.isNaN(score)) throw new IllegalArgumentException("trial " + trial + " rung " + rung + ": score is NaN");
        if (trial >= drawn) throw new IllegalArgumentException("trial " + trial + " was never drawn");
        if (rung > 0 && !promoted.get(rung - 1).contains(trial)) throw new IllegalArgumentException("trial " + trial + " was never promoted to rung " + rung);
        if (results.get(rung).putIfAbsent(trial, new double[] {score, tieBreak}) != null) throw new IllegalArgumentException("trial " + trial + " rung " + rung + " reported twice");
    }

    /** Trials drawn so far. */
    public int drawn() { return drawn; }

    /** The trials recorded at rung {@code rung}, best first (equal scores: higher tie-break first, then earlier trial). */
    public List<Integer> ranking(int rung) {
        Map<Integer, double[]> r = results.get(rung);
        List<Integer> order = new ArrayList<>(r.keySet());
        order.sort(Comparator.comparingDouble((Integer t) -> -r.get(t)[0])
                .thenComparingDouble(t -> Double.isNaN(r.get(t)[1]) ? Double.POSITIVE_INFINITY : -r.get(t)[1]).thenComparingInt(t -> t));
        return order;
    }

    /** The search's answer: the best trial of the highest rung any trial finished without failing; -1 when none did. */
    public int best() {
        for (int k = settings.topRung(); k >= 0; k--) {
            for (int t : ranking(k)) {
                if (results.get(k).get(t)[0] != Double.NEGATIVE_INFINITY) return t;
            }
        }
        return -1;
    }
}
