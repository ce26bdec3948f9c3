package dev.orcaj.ot;

import java.util.List;

/**
 * An OTDD evaluation. {@code labelDistances} is the table the outer problem used (debiased: the
 * (C1+C2)^2 block matrix, source classes first; otherwise C1 x C2; null when lambda_y = 0).
 * {@code gradTarget} (n_target x d, rows in the caller's target order, zero rows for dropped classes) is
 * null unless requested. {@code warnings} lists dropped classes.
 */
public record OtddResult(double value, double[][] labelDistances, int[] sourceClassIds, int[] targetClassIds,
                         double[] gradTarget, double diameter, double[] epsilons, List<String> warnings,
                         double labelDistanceSeconds, double outerSeconds) {}
