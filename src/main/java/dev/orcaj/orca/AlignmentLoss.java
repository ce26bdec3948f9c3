package dev.orcaj.orca;

import dev.orcaj.autograd.Autograd;
import dev.orcaj.ot.ClasswiseOtdd;
import dev.orcaj.ot.LabelledPoints;
import dev.orcaj.ot.Mmd;
import dev.orcaj.ot.OtddOptions;
import dev.orcaj.ot.OtddResult;
import dev.orcaj.ot.PairedL2Loss;
import dev.orcaj.ot.PointCloud;
import dev.orcaj.tensor.Tensor;


/**
 * The stage-2 objectives (spec 3.3/3.4) as differentiable scalars of the target features [n, d]: class-wise OTDD
 * against the whole labelled source set (default; source-source label distances cached once), MMD against a source
 * sample drawn with replacement, and the row-paired Euclidean loss. Values and gradients come from {@code dev.orcaj.ot}
 * (the OTDD gradient from the final dual potentials, label distances held constant as in the reference) and enter
 * the tape through {@link Autograd#custom}.
 */
public abstract class AlignmentLoss {
    public final String name;

    private AlignmentLoss(String name) { this.name = name; }

    /**
     * Returns the value and writes the gradient for one target class's features; {@code seed} drives any sampling.
     * {@code withValue = false} lets an objective skip work that only the value needs (OTDD: the source self-problem)
     * and return NaN; the gradient must be the same bits either way.
     */
    protected abstract double valueAndGradient(PointCloud target, long seed, double[] gradOut, boolean withValue);

    /** The distance as a differentiable scalar of {@code features} [n, d]. */
    public final Tensor loss(Tensor features, long seed) { return loss(features, seed, true); }

    /**
     * As {@link #loss(Tensor, long)}; with {@code withValue = false} the scalar may be NaN (its gradient is exact):
     * stage 2's gradient-only steps.
     */
    public final Tensor loss(Tensor features, long seed, boolean withValue) {
        Tensor f = features.contiguous();
        int n = f.shape(0), d = f.shape(1);
        PointCloud cloud = PointCloud.of(f.toFloatArray(), n, d);
        double[] grad = new double[n * d];
        double value = valueAndGradient(cloud, seed, grad, withValue);
        Tensor out = Tensor.full(f.dtype(), value);
        Tensor g = Tensor.of(grad, n, d).to(f.dtype());
        return Autograd.custom(name, out, up -> new Tensor[] {g.mul(up.item())}, f);
    }

    public static AlignmentLoss create(Objective kind, SourceFeatures src) {
        PointCloud cloud = PointCloud.of(src.features(), src.n(), src.dim());
        return switch (kind) {
            case OTDD -> otdd(src, OtddOptions.orca());
            case OTDD_GAUSSIAN -> otdd(src, OtddOptions.orca().withInnerMethod(OtddOptions.InnerMethod.GAUSSIAN));
            case MMD -> new AlignmentLoss("mmd") {
                @Override
                protected double valueAndGradient(PointCloud target, long seed, double[] gradOut, boolean withValue) {
                    int[] rows = Mmd.sampleWithReplacement(src.n(), target.size(), seed);
                    Mmd.Result r = Mmd.compute(cloud.rows(rows), target, true);
                    System.arraycopy(r.gradTarget(), 0, gradOut, 0, gradOut.length);
                    return r.value();
                }
            };
            case EUCLIDEAN -> new AlignmentLoss("euclidean") {
                @Override
                protected double valueAndGradient(PointCloud target, long seed, double[] gradOut, boolean withValue) {
                    PairedL2Loss.Result r = PairedL2Loss.compute(cloud, target, PairedL2Loss.shuffledOrder(src.n(), seed), true);
                    System.arraycopy(r.gradTarget(), 0, gradOut, 0, gradOut.length);
                    return r.value();
                }
            };
        };
    }

    private static AlignmentLoss otdd(SourceFeatures src, OtddOptions options) {
        ClasswiseOtdd cached = new ClasswiseOtdd(LabelledPoints.of(PointCloud.of(src.features(), src.n(), src.dim()), src.labels()), options);
        // --device cuda: the outer Sinkhorn on the GPU, source features resident across epochs (docs/CUDA.md)
        if (dev.orcaj.backend.Backends.modelDevice() instanceof dev.orcaj.backend.cuda.CudaBackend gpu) {
            cached.useSolver(new dev.orcaj.backend.cuda.CudaOtddSolver(gpu.device()));
        }
        return new AlignmentLoss("otdd") {
            @Override
            protected double valueAndGradient(PointCloud target, long seed, double[] gradOut, boolean withValue) {
                OtddResult r = cached.evaluate(target, withValue); // bitwise the same gradient either way
                System.arraycopy(r.gradTarget(), 0, gradOut, 0, gradOut.length);
                return r.value();
            }
        };
    }

}
