package dev.orcaj.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Schedules at their boundary steps. */
class LrScheduleTest {
    private static final double TOL = 1e-15;

    @Test
    void linearWarmupRisesFromZeroThenDecaysToZero() {
        LrSchedule s = LrSchedule.linearWarmupDecay(1e-3, 10, 110);
        assertEquals(0, s.lrAt(0), TOL);            // HF: the very first update uses lr 0
        assertEquals(1e-4, s.lrAt(1), TOL);          // 1/10 of the peak
        assertEquals(9e-4, s.lrAt(9), TOL);
        assertEquals(1e-3, s.lrAt(10), TOL);         // peak exactly at the end of warmup: (110 − 10)/100
        assertEquals(0.99e-3, s.lrAt(11), TOL);      // (110 − 11)/100
        assertEquals(0.5e-3, s.lrAt(60), TOL);       // halfway through the decay
        assertEquals(1e-5, s.lrAt(109), TOL);
        assertEquals(0, s.lrAt(110), TOL);
        assertEquals(0, s.lrAt(500), TOL);           // clamped at 0 past the end (ORCA's lambda would go negative)
    }

    @Test
    void withoutWarmupTheDecayStartsAtThePeak() {
        LrSchedule s = LrSchedule.linearWarmupDecay(2, 0, 4);
        assertEquals(2, s.lrAt(0), TOL);
        assertEquals(1, s.lrAt(2), TOL);
        assertEquals(0, s.lrAt(4), TOL);
        LrSchedule onlyWarmup = LrSchedule.linearWarmupDecay(2, 4, 4); // T = W: max(1, T − W) avoids 0/0
        assertEquals(1.5, onlyWarmup.lrAt(3), TOL);
        assertEquals(0, onlyWarmup.lrAt(4), TOL);
    }

    @Test
    void stepDecayMultipliesByGammaEveryStepSizeSteps() {
        LrSchedule s = LrSchedule.stepDecay(0.1, 30, 0.1);
        assertEquals(0.1, s.lrAt(0), TOL);
        assertEquals(0.1, s.lrAt(29), TOL);
        assertEquals(0.01, s.lrAt(30), 1e-17);
        assertEquals(0.01, s.lrAt(59), 1e-17);
        assertEquals(0.001, s.lrAt(60), 1e-18);
    }

    @Test
    void milestonesCountOnlyStepsStrictlyPastThem() {
        // ORCA embedder: base 0.2, milestones [20, 40, 60]
        LrSchedule s = LrSchedule.milestones(1e-3, 0.2, 20, 40, 60);
        assertEquals(1e-3, s.lrAt(0), TOL);
        assertEquals(1e-3, s.lrAt(20), TOL);
        assertEquals(2e-4, s.lrAt(21), TOL);
        assertEquals(2e-4, s.lrAt(40), TOL);
        assertEquals(4e-5, s.lrAt(41), TOL);
        assertEquals(8e-6, s.lrAt(61), TOL);
    }

    @Test
    void constantAndInvalidArguments() {
        assertEquals(3e-4, LrSchedule.constant(3e-4).lrAt(12345), 0);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linearWarmupDecay(1, 10, 5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.stepDecay(1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(1).lrAt(-1));
    }
}
