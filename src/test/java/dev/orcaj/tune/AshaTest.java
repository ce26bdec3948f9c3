package dev.orcaj.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.*;

/** The promotion rule of ASHA (Li et al. 2020, Algorithm 2) on scripted scores, run sequentially; sequences worked out by hand. */
class AshaTest {

    /** Runs get_job / report one at a time until get_job has nothing; returns the jobs as "t@rung". */
    private static List<String> sequential(Asha asha, BiFunction<Integer, Integer, Double> score) {
        List<String> jobs = new ArrayList<>();
        for (Asha.Job j = asha.next(); j != null; j = asha.next()) {
            jobs.add(j.trial() + "@" + j.rung());
            asha.report(j.trial(), j.rung(), score.apply(j.trial(), j.rung()));
        }
        return jobs;
    }

    @Test
    void rungBudgetsGrowByEtaAndTheTopRungTrainsTheWholeSchedule() {
        Asha.Settings s = new Asha.Settings(9, 1, 9, 3);
        assertEquals(2, s.topRung());
        assertEquals(List.of(1, 3, 9), List.of(s.rungEpochs(0), s.rungEpochs(1), s.rungEpochs(2)));
        Asha.Settings t = new Asha.Settings(9, 2, 20, 3); // 2, 6, then R = 20 (18 <= 20 < 54)
        assertEquals(2, t.topRung());
        assertEquals(List.of(2, 6, 20), List.of(t.rungEpochs(0), t.rungEpochs(1), t.rungEpochs(2)));
        assertEquals(0, new Asha.Settings(4, 5, 5, 3).topRung());
        assertThrows(IllegalArgumentException.class, () -> new Asha.Settings(4, 3, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new Asha.Settings(4, 1, 9, 1));
    }

    @Test
    void eta3NineTrialsFollowsTheHandWorkedSequence() {
        double[] s = {5, 3, 8, 1, 9, 2, 7, 4, 6}; // each trial's score at every rung
        Asha asha = new Asha(new Asha.Settings(9, 1, 9, 3));
        // t2 enters rung 1 when rung 0 holds 3 results (top floor(3/3) = 1), t4 at 5 results, t6 only at 9 (top 3 = t4, t2, t6);
        // t4 leads rung 1 once it holds 3 results and goes to the top rung
        assertEquals(List.of("0@0", "1@0", "2@0", "2@1", "3@0", "4@0", "4@1", "5@0", "6@0", "7@0", "8@0", "6@1", "4@2"),
                sequential(asha, (t, k) -> s[t]));
        assertEquals(4, asha.best());
        assertEquals(List.of(4, 2, 6), asha.ranking(1));
    }

    @Test
    void promotionsRankEachRungByItsOwnScores() {
        double[] rung0 = {0.1, 0.5, 0.3, 0.9};
        Asha asha = new Asha(new Asha.Settings(4, 1, 4, 2));
        // rung 1 holds t1 and t3; at rung 1 t1 is better (0.95 vs 0.2), although t3 led rung 0
        List<String> jobs = sequential(asha, (t, k) -> k == 0 ? rung0[t] : t == 1 ? 0.95 : 0.2);
        assertEquals(List.of("0@0", "1@0", "1@1", "2@0", "3@0", "3@1", "1@2"), jobs);
        assertEquals(1, asha.best());
    }

    @Test
    void failedTrialsAreNeverPromoted() {
        Asha asha = new Asha(new Asha.Settings(4, 1, 2, 2));
        assertEquals(new Asha.Job(0, 0), asha.next());
        asha.report(0, 0, Double.NEGATIVE_INFINITY);
        assertEquals(new Asha.Job(1, 0), asha.next());
        asha.report(1, 0, Double.NEGATIVE_INFINITY);
        assertEquals(new Asha.Job(2, 0), asha.next(), "the top half of rung 0 is a failed trial: nothing to promote");
        asha.report(2, 0, 0.5);
        assertEquals(new Asha.Job(2, 1), asha.next());
        assertEquals(new Asha.Job(3, 0), asha.next());
        asha.report(3, 0, Double.NEGATIVE_INFINITY);
        assertNull(asha.next(), "the top half of rung 0 is t2 (promoted) and the failed t0");
        assertEquals(2, asha.best(), "t2 is in flight at rung 1; the best recorded is at rung 0");
        assertThrows(IllegalArgumentException.class, () -> asha.report(3, 1, 1.0), "t3 was never promoted");
        assertThrows(IllegalArgumentException.class, () -> asha.report(2, 0, 1.0), "reported twice");
    }

    @Test
    void equalScoresFavourTheEarlierTrial() {
        Asha asha = new Asha(new Asha.Settings(2, 1, 2, 2));
        asha.report(asha.next().trial(), 0, 0.5);
        asha.report(asha.next().trial(), 0, 0.5);
        assertEquals(new Asha.Job(0, 1), asha.next());
    }

    /** Equal scores (a small validation split) are ordered by the tie-break, higher first; without one (NaN) last; then by trial. */
    @Test
    void equalScoresAreRankedByTheTieBreak() {
        Asha asha = new Asha(new Asha.Settings(6, 1, 9, 3));
        for (int t = 0; t < 6; t++) assertEquals(new Asha.Job(t, 0), asha.next());
        double[] auroc = {0.55, Double.NaN, 0.74, 0.60, 0.74, 0.58};
        for (int t = 0; t < 6; t++) asha.report(t, 0, 0.70, auroc[t]);
        assertEquals(List.of(2, 4, 3, 5, 0, 1), asha.ranking(0));
        assertEquals(new Asha.Job(2, 1), asha.next(), "the top 6/3 = 2 by tie-break are promoted");
        assertEquals(new Asha.Job(4, 1), asha.next());
        assertEquals(2, asha.best());
        Asha plain = new Asha(new Asha.Settings(3, 1, 9, 3));
        for (int t = 0; t < 3; t++) plain.next();
        plain.report(0, 0, 0.5);
        plain.report(1, 0, 0.7);
        plain.report(2, 0, 0.7, 0.1);
        assertEquals(List.of(2, 1, 0), plain.ranking(0), "the score first; a tie-break beats none");
        assertEquals(0.8, Search.tieBreak(java.util.Map.of("accuracy", 0.7, "auroc", 0.8)));
        assertTrue(Double.isNaN(Search.tieBreak(java.util.Map.of("relative_l2", 0.2))));
    }
}
