package dev.orcaj.backend;

/**
 * Elementwise primitives. Some take parameters p, q: AFFINE = p*x + q, POW = x^p, CLAMP = min(max(x,p),q),
 * IN_RANGE = 1 where p <= x <= q else 0. The *_GRAD and STEP/SIGN ops exist for gradient rules.
 */
public enum UnaryOp {
    AFFINE, EXP, LOG, SQRT, RSQRT, TANH, ERF, RELU, GELU, GELU_GRAD, SIGMOID, ABS, SIGN, STEP, POW, CLAMP, IN_RANGE;

    private static final double INV_SQRT2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    /** The definition of every unary op (the reference backend evaluates exactly this, in double). */
    public double apply(double x, double p, double q) {
        return switch (this) {
            case AFFINE -> p * x + q;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case ERF -> org.apache.commons.math3.special.Erf.erf(x);
            case RELU -> x > 0 ? x : 0;
            case GELU -> 0.5 * x * (1 + org.apache.commons.math3.special.Erf.erf(x * INV_SQRT2));
            // d/dx [x Phi(x)] = Phi(x) + x phi(x)
            case GELU_GRAD -> 0.5 * (1 + org.apache.commons.math3.special.Erf.erf(x * INV_SQRT2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case STEP -> x > 0 ? 1 : 0;
            case POW -> Math.pow(x, p);
            case CLAMP -> Math.min(Math.max(x, p), q);
            case IN_RANGE -> x >= p && x <= q ? 1 : 0;
        };
    }
}
