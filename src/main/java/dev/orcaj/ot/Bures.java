package dev.orcaj.ot;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Squared 2-Wasserstein distance between Gaussians (spec 6.1, OTDD {@code gaussian_approx}):
 * {@code ||mu1 - mu2||^2 + tr(S1 + S2 - 2 (S1^{1/2} S2 S1^{1/2})^{1/2})}, Bures term and total clipped at 0.
 * Square roots of symmetric PSD matrices by symmetric eigendecomposition (negative eigenvalues from rounding
 * clipped to 0).
 */
final class Bures {
    private Bures() {}

    static double w2Squared(ClassCloud a, ClassCloud b) {
        double[] ma = a.mean(), mb = b.mean();
        double meanDiff = 0;
        for (int k = 0; k < ma.length; k++) meanDiff += (ma[k] - mb[k]) * (ma[k] - mb[k]);
        DMatrixRMaj s1h = a.sqrtCov(), s2 = b.cov();
        int d = ma.length;
        DMatrixRMaj tmp = new DMatrixRMaj(d, d), m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(s1h, s2, tmp);
        CommonOps_DDRM.mult(tmp, s1h, m);
        double traceSqrt = 0;
        for (double ev : symmetricEigenvalues(m)) traceSqrt += Math.sqrt(Math.max(0, ev));
        double bures = Math.max(0, CommonOps_DDRM.trace(a.cov()) + CommonOps_DDRM.trace(s2) - 2 * traceSqrt);
        return Math.max(0, meanDiff + bures);
    }

    static DMatrixRMaj sqrtPsd(DMatrixRMaj s) {
        int d = s.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(s);
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int e = 0; e < d; e++) {
            double root = Math.sqrt(Math.max(0, eig.getEigenvalue(e).real));
            DMatrixRMaj v = eig.getEigenVector(e);
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) out.data[i * d + j] += root * v.data[i] * v.data[j];
        }
        return out;
    }

    static double[] symmetricEigenvalues(DMatrixRMaj m) {
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(m);
        double[] ev = new double[m.numRows];
        for (int e = 0; e < ev.length; e++) ev[e] = eig.getEigenvalue(e).real;
        return ev;
    }

    private static EigenDecomposition_F64<DMatrixRMaj> decompose(DMatrixRMaj m) {
        int d = m.numRows;
        DMatrixRMaj sym = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) sym.data[i * d + j] = 0.5 * (m.data[i * d + j] + m.data[j * d + i]);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(sym)) throw new IllegalStateException("gaussian label distance: eigendecomposition failed (non-finite covariance?)");
        return eig;
    }
}
