package dev.orcaj.backend.cuda;

/**
 * Fused ops on plain row-major float arrays (host in, host out), each naming its CPU twin. The training path uses
 * the device-resident forms instead where they exist (CudaBackend.adamStep, CudaBackend.crossEntropy, the GELU
 * kernels); attention and patch unfold/fold are reached only from here (tests, benchmarks) so far.
 */
public final class CudaOps {
    private static final int ROW_BLOCK = 256;
    private final CudaDevice dev;

    public CudaOps(CudaDevice dev) { this.dev = dev; }

    /** Functional.patchUnfold2d: x [n, c, gh*k, gw*k] -> [n, gh*gw, c*k*k]. */
    public float[] patchUnfold2d(float[] x, int n, int c, int k, int gh, int gw) {
        return permuteCopy(Kernel.PATCH_UNFOLD2D, x, n, c, k, gh, gw);
    }

    /** Functional.patchFold2d: [n, gh*gw, c*k*k] -> [n, c, gh*k, gw*k]. */
    public float[] patchFold2d(float[] p, int n, int c, int k, int gh, int gw) {
        return permuteCopy(Kernel.PATCH_FOLD2D, p, n, c, k, gh, gw);
    }

    private float[] permuteCopy(Kernel kernel, float[] src, int n, int c, int k, int gh, int gw) {
        int total = n * c * gh * gw * k * k;
        if (src.length != total) throw new IllegalArgumentException(kernel.entry + ": input has " + src.length + " elements, expected " + total);
        synchronized (dev) {
            try (DeviceBuffer in = dev.upload(src); DeviceBuffer out = dev.allocate(4L * total)) {
                if (total > 0) dev.launch(kernel, CudaDevice.gridFor(total), 256, in, out, n, c, k, gh, gw);
                return dev.download(out, total);
            }
        }
    }

    /** Loss and logits gradient of mean cross-entropy (the scalar and d loss / d logits for upstream gradient 1). */
    public record CrossEntropy(double loss, float[] gradLogits) {}

    /**
     * Functional.crossEntropy(logits [rows, k], labels, classWeights, ignoreIndex) and its gradient:
     * loss = sum_i w_i (lse_i - x_i[y_i]) / sum_i w_i; d/dx_i = w_i (softmax(x_i) - onehot(y_i)) / sum w.
     */
    public CrossEntropy crossEntropy(float[] logits, int rows, int k, int[] labels, double[] classWeights, int ignoreIndex) {
        if (logits.length != rows * k || labels.length != rows) {
            throw new IllegalArgumentException("crossEntropy: logits " + logits.length + " / labels " + labels.length + " do not match [" + rows + ", " + k + "]");
        }
        double wsum = 0;
        for (int i = 0; i < rows; i++) {
            if (labels[i] == ignoreIndex) continue;
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " at row " + i + " outside [0, " + k + ")");
            wsum += classWeights == null ? 1 : classWeights[labels[i]];
        }
        if (wsum == 0) throw new IllegalArgumentException("crossEntropy: every label is ignored (or has weight 0)");
        float[] w = null;
        if (classWeights != null) {
            w = new float[k];
            for (int c = 0; c < k; c++) w[c] = (float) classWeights[c];
        }
        synchronized (dev) {
            try (DeviceBuffer x = dev.upload(logits); DeviceBuffer y = dev.upload(labels); DeviceBuffer cw = w == null ? null : dev.upload(w);
                 DeviceBuffer lossRows = dev.allocate(4L * rows); DeviceBuffer grad = dev.allocate(4L * rows * k)) {
                dev.launch(Kernel.CROSS_ENTROPY_FORWARD, rows, ROW_BLOCK, x, y, cw, lossRows, rows, k, ignoreIndex);
                dev.launch(Kernel.CROSS_ENTROPY_BACKWARD, rows, ROW_BLOCK, x, y, cw, grad, rows, k, ignoreIndex, (float) (1 / wsum));
                double total = 0;
                for (float v : dev.download(lossRows, rows)) total += v;
                return new CrossEntropy(total / wsum, dev.download(grad, rows * k));
            }
        }
    }

    /**
     * One AdamW step in place on p, m, v (Adam#update with decoupled decay; {@code decoupled=false} is plain Adam
     * with L2 decay). {@code step} counts from 1.
     */
    public void adamStep(float[] p, float[] g, float[] m, float[] v, long step, double lr, double beta1, double beta2,
                         double eps, double weightDecay, boolean decoupled) {
        int n = p.length;
        if (g.length != n || m.length != n || v.length != n) throw new IllegalArgumentException("adamStep: p, g, m, v lengths differ");
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        float shrink = (float) (decoupled ? 1 - lr * weightDecay : 1), l2 = (float) (decoupled ? 0 : weightDecay);
        synchronized (dev) {
            try (DeviceBuffer dp = dev.upload(p); DeviceBuffer dg = dev.upload(g); DeviceBuffer dm = dev.upload(m); DeviceBuffer dv = dev.upload(v)) {
                if (n > 0) dev.launch(Kernel.ADAMW_STEP, CudaDevice.gridFor(n), 256, dp, dg, dm, dv, n, (float) beta1, (float) beta2,
                        (float) eps, l2, shrink, (float) stepSize, (float) bias2Sqrt);
                dev.download(dp, p, 0, n);
                dev.download(dm, m, 0, n);
                dev.download(dv, v, 0, n);
            }
        }
    }

    /**
     * softmax(q k^T * scale + mask) v per (batch, head): q [b, h, sq, d], k/v [b, h, sk, d] contiguous, d <= 128.
     * {@code mask} (nullable) is additive with element strides {@code maskStrides = {mb, mh, mq, mk}} (0 broadcasts),
     * e.g. MultiHeadAttention.keyMask [b, 1, 1, sk] has strides {sk, 0, 0, 1}.
     */
    public float[] attention(float[] q, float[] k, float[] v, float[] mask, int[] maskStrides, int b, int h, int sq, int sk, int d, double scale) {
        if (d > 128) throw new IllegalArgumentException("attention: head dim " + d + " > 128 is not supported by the fused kernel");
        if (q.length != b * h * sq * d || k.length != b * h * sk * d || v.length != k.length) {
            throw new IllegalArgumentException("attention: q/k/v lengths do not match [" + b + ", " + h + ", " + sq + "/" + sk + ", " + d + "]");
        }
        int[] ms = mask == null ? new int[4] : maskStrides;
        int rows = b * h * sq, warpsPerBlock = 8;
        synchronized (dev) {
            try (DeviceBuffer dq = dev.upload(q); DeviceBuffer dk = dev.upload(k); DeviceBuffer dvb = dev.upload(v);
                 DeviceBuffer dm = mask == null ? null : dev.upload(mask); DeviceBuffer out = dev.allocate(4L * rows * d)) {
                if (rows > 0) dev.launch(Kernel.ATTENTION_FORWARD, (rows + warpsPerBlock - 1) / warpsPerBlock, 32 * warpsPerBlock,
                        dq, dk, dvb, dm, ms[0], ms[1], ms[2], ms[3], out, b, h, sq, sk, d, (float) scale);
                return dev.download(out, rows * d);
            }
        }
    }

    /** RefKernels.gelu / geluBackward (dy null: the derivative itself). */
    public float[] gelu(float[] x, float[] dy, boolean backward) {
        int n = x.length;
        synchronized (dev) {
            try (DeviceBuffer dx = dev.upload(x); DeviceBuffer g = dy == null ? null : dev.upload(dy); DeviceBuffer out = dev.allocate(4L * n)) {
                if (n > 0) {
                    if (backward) dev.launch(Kernel.GELU_BACKWARD, CudaDevice.gridFor(n), 256, dx, g, out, n);
                    else dev.launch(Kernel.GELU_FORWARD, CudaDevice.gridFor(n), 256, dx, out, n);
                }
                return dev.download(out, n);
            }
        }
    }
}
