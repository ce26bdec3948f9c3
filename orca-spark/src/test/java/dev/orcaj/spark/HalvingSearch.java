package dev.orcaj.spark;

import dev.orcaj.tune.RungResult;
import dev.orcaj.tune.TrialExecutor;
import dev.orcaj.tune.TrialRung;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A small search driver for the Spark tests and benchmark until the tune helper's ASHA scheduler lands: synchronous
 * successive halving over learning rates. Every rung of a level is in flight at once; the best 1/{@code eta} (by
 * score, ties by trial id) go on to the next level. Synchronous, so its outcome does not depend on the order results
 * arrive in, which lets a Spark run be compared with a local run exactly.
 */
final class HalvingSearch {
    /** Every rung result by "trialId/rung" (the search fails if one arrives twice) and the winning trial. */
    record Outcome(Map<String, RungResult> results, String bestTrial, Map<String, String> bestConfig) {}

    private HalvingSearch() {}

    static Map<String, Map<String, String>> learningRates(int trials) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        for (int i = 0; i < trials; i++) configs.put("t%02d".formatted(i), Map.of("lr", Double.toString(3e-4 * Math.pow(1.5, i))));
        return configs;
    }

    static Outcome run(TrialExecutor executor, String searchId, Map<String, Map<String, String>> configs, int[] rungEpochs, int eta,
                       Map<String, String> experiment, String workDir) {
        Map<String, RungResult> results = new LinkedHashMap<>();
        List<String> alive = new ArrayList<>(configs.keySet());
        int maxEpochs = rungEpochs[rungEpochs.length - 1];
        for (int r = 0; r < rungEpochs.length; r++) {
            List<CompletableFuture<RungResult>> inFlight = new ArrayList<>();
            for (String trial : alive) inFlight.add(executor.submit(new TrialRung(searchId, trial, r, rungEpochs[r], maxEpochs, experiment, configs.get(trial), workDir)));
            List<RungResult> level = new ArrayList<>();
            for (CompletableFuture<RungResult> f : inFlight) level.add(f.join());
            for (RungResult res : level) {
                if (results.put(res.trialId() + "/" + res.rung(), res) != null) throw new IllegalStateException("rung " + res.trialId() + "/" + res.rung() + " reported twice");
            }
            level.sort(Comparator.comparingDouble(RungResult::score).reversed().thenComparing(RungResult::trialId));
            int keep = Math.max(1, level.size() / eta);
            alive = level.subList(0, keep).stream().map(RungResult::trialId).toList();
        }
        String best = alive.getFirst();
        return new Outcome(results, best, configs.get(best));
    }
}
