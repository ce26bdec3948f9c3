/**
 * Optimal transport for ORCA-J on plain arrays ({@link dev.orcaj.ot.PointCloud}: float32 or float64, row-major).
 * <ul>
 * <li>{@link dev.orcaj.ot.SinkhornSolver}: log-domain Sinkhorn on {@link dev.orcaj.ot.CostMatrix} (geomloss 0.2.x
 * symmetric epsilon-scaling loop with extrapolation, debiased or not; tolerance-based variant). In float32 both
 * soft-mins of a step come from one pass over the cost matrix ({@link dev.orcaj.ot.SymmetricSoftminF32}: one exp
 * per entry, none while epsilon repeats, stabilised kernel-space scaling with log-domain absorption).
 * <li>{@link dev.orcaj.ot.SinkhornDivergence}: geomloss {@code SamplesLoss('sinkhorn')} on point clouds, with the
 * gradient with respect to the target points.
 * <li>{@link dev.orcaj.ot.Otdd}: the OT dataset distance (exact or Gaussian label distances, features-only);
 * {@link dev.orcaj.ot.ClasswiseOtdd}: ORCA's call pattern with the source side cached, value + gradient.
 * <li>{@link dev.orcaj.ot.Mmd}, {@link dev.orcaj.ot.PairedL2Loss}: ORCA's alternative objectives with gradients;
 * {@link dev.orcaj.ot.KMeans}: pseudo-labels for dense/regression targets.
 * </ul>
 * Compute: the backend's CPU layer ({@code dev.orcaj.backend.cpu}): its thread pool {@code CpuPool} (sized by
 * {@code --threads}), its SGEMM and its vector exp; results are bitwise independent of the thread count.
 * Reference: ../shared/docs/orca-spec.md sections 3 and 6.
 */
package dev.orcaj.ot;
