package dev.orcaj.backend.ref;

import dev.orcaj.backend.Backend;
import dev.orcaj.backend.BinaryOp;
import dev.orcaj.backend.Layout;
import dev.orcaj.backend.ReduceOp;
import dev.orcaj.backend.UnaryOp;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Shape;
import dev.orcaj.tensor.Storage;
import dev.orcaj.tensor.Tensor;

/**
 * The reference backend: plain scalar loops in double precision over arbitrary strides. Slow on purpose; it is the
 * definition every other backend is tested against, and it runs all F64 work (gradient checks).
 */
public class RefBackend implements Backend {

    @Override
    public String name() { return "ref"; }

    @Override
    public Tensor copy(Tensor a, DType dtype) {
        Tensor out = Tensor.empty(dtype, a.shape());
        int[] off = Layout.offsets(a);
        Storage s = a.storage(), o = out.storage();
        for (int i = 0; i < off.length; i++) o.set(i, s.get(off[i]));
        return out;
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast(op.name().toLowerCase(), a.shape(), b.shape());
        int[] oa = Layout.offsets(Layout.broadcastTo(a, shape)), ob = Layout.offsets(Layout.broadcastTo(b, shape));
        Tensor out = Tensor.empty(a.dtype(), shape);
        Storage sa = a.storage(), sb = b.storage(), so = out.storage();
        for (int i = 0; i < oa.length; i++) so.set(i, op.apply(sa.get(oa[i]), sb.get(ob[i])));
        return out;
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, double p, double q) {
        int[] off = Layout.offsets(a);
        Tensor out = Tensor.empty(a.dtype(), a.shape());
        Storage s = a.storage(), o = out.storage();
        for (int i = 0; i < off.length; i++) o.set(i, op.apply(s.get(off[i]), p, q));
        return out;
    }

    @Override
    public Tensor where(Tensor mask, Tensor a, Tensor b) {
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
        int[] om = Layout.offsets(Layout.broadcastTo(mask, shape));
        int[] oa = Layout.offsets(Layout.broadcastTo(a, shape)), ob = Layout.offsets(Layout.broadcastTo(b, shape));
        Tensor out = Tensor.empty(a.dtype(), shape);
        for (int i = 0; i < om.length; i++) {
            out.storage().set(i, mask.storage().get(om[i]) != 0 ? a.storage().get(oa[i]) : b.storage().get(ob[i]));
        }
        return out;
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, boolean[] axes) {
        int[] shape = a.shape();
        int[] outShape = shape.clone();
        for (int i = 0; i < shape.length; i++) if (axes[i]) outShape[i] = 1;
        Tensor out = Tensor.empty(a.dtype(), outShape);
        int n = out.numel();
        double[] acc = new double[n];
        java.util.Arrays.fill(acc, op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY);
        int[] outStrides = Shape.contiguousStrides(outShape);
        int[] off = Layout.offsets(a);
        int[] idx = new int[shape.length];
        for (int i = 0; i < off.length; i++) {
            int o = 0;
            for (int d = 0; d < shape.length; d++) if (!axes[d]) o += idx[d] * outStrides[d];
            double v = a.storage().get(off[i]);
            acc[o] = op == ReduceOp.SUM ? acc[o] + v : (v > acc[o] || Double.isNaN(v) ? v : acc[o]);
            for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
        for (int i = 0; i < n; i++) out.storage().set(i, acc[i]);
        return out;
    }

    @Override
    public int[] argmaxLast(Tensor a) {
        int cols = a.shape(-1), rows = Layout.rows(a);
        int[] off = Layout.offsets(a);
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) if (a.storage().get(off[r * cols + c]) > a.storage().get(off[r * cols + best])) best = c;
            out[r] = best;
        }
        return out;
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int r = as.length, m = as[r - 2], k = as[r - 1], n = bs[r - 1];
        int[] outShape = as.clone();
        outShape[r - 1] = n;
        Tensor out = Tensor.empty(a.dtype(), outShape);
        int batch = m == 0 ? 0 : out.numel() / (m * n == 0 ? 1 : m * n);
        if (m * n == 0) return out;
        int[] oa = Layout.offsets(a), ob = Layout.offsets(b);
        for (int bi = 0; bi < batch; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a.storage().get(oa[(bi * m + i) * k + p]) * b.storage().get(ob[(bi * k + p) * n + j]);
                    out.storage().set((bi * m + i) * n + j, s);
                }
            }
        }
        return out;
    }

    @Override
    public Tensor softmax(Tensor a, boolean log) {
        Tensor x = copy(a, a.dtype());
        int cols = a.shape(-1), rows = Layout.rows(a);
        Storage s = x.storage();
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, s.get(r * cols + c));
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.exp(s.get(r * cols + c) - max);
            for (int c = 0; c < cols; c++) {
                double z = s.get(r * cols + c) - max;
                s.set(r * cols + c, log ? z - Math.log(sum) : Math.exp(z) / sum);
            }
        }
        return x;
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor dy, boolean log) {
        Tensor yc = copy(y, y.dtype()), g = copy(dy, y.dtype());
        int cols = y.shape(-1), rows = Layout.rows(y);
        Storage ys = yc.storage(), gs = g.storage();
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += log ? gs.get(r * cols + c) : gs.get(r * cols + c) * ys.get(r * cols + c);
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                // softmax: dx = y (dy - <dy, y>);  log-softmax: dx = dy - exp(y) sum(dy)
                gs.set(i, log ? gs.get(i) - Math.exp(ys.get(i)) * dot : ys.get(i) * (gs.get(i) - dot));
            }
        }
        return g;
    }

    @Override
    public Tensor geluBackward(Tensor x, Tensor dy) { return binary(BinaryOp.MUL, dy, unary(UnaryOp.GELU_GRAD, x, 0, 0)); }

    @Override
    public Tensor scaledMaskedSoftmax(Tensor a, double scale, Tensor mask) {
        Tensor x = copy(a, a.dtype());
        Tensor m = mask == null ? null : copy(Layout.broadcastTo(mask, a.shape()), a.dtype());
        Storage s = x.storage();
        for (int i = 0; i < x.numel(); i++) s.set(i, scale * s.get(i) + (m == null ? 0 : m.storage().get(i)));
        return softmax(x, false);
    }

    @Override
    public Tensor scaledSoftmaxBackward(Tensor y, Tensor dy, double scale) {
        Tensor g = softmaxBackward(y, dy, false);
        Storage s = g.storage();
        for (int i = 0; i < g.numel(); i++) s.set(i, scale * s.get(i));
        return g;
    }

    @Override
    public Tensor[] layerNorm(Tensor x, Tensor gamma, Tensor beta, double eps) {
        Tensor y = copy(x, x.dtype());
        int cols = x.shape(-1), rows = Layout.rows(x);
        int[] rowShape = x.shape();
        rowShape[rowShape.length - 1] = 1;
        Tensor mean = Tensor.empty(x.dtype(), rowShape), rstd = Tensor.empty(x.dtype(), rowShape);
        double[] g = gamma == null ? null : gamma.toDoubleArray(), b = beta == null ? null : beta.toDoubleArray();
        Storage s = y.storage();
        for (int r = 0; r < rows; r++) {
            double mu = 0, var = 0;
            for (int c = 0; c < cols; c++) mu += s.get(r * cols + c);
            mu /= cols;
            for (int c = 0; c < cols; c++) var += (s.get(r * cols + c) - mu) * (s.get(r * cols + c) - mu);
            double rs = 1 / Math.sqrt(var / cols + eps);
            mean.storage().set(r, mu);
            rstd.storage().set(r, rs);
            for (int c = 0; c < cols; c++) {
                double v = (s.get(r * cols + c) - mu) * rs;
                s.set(r * cols + c, v * (g == null ? 1 : g[c]) + (b == null ? 0 : b[c]));
            }
        }
        return new Tensor[] {y, mean, rstd};
    }

    @Override
    public Tensor[] layerNormBackward(Tensor dy, Tensor x, Tensor gamma, Tensor mean, Tensor rstd) {
        int cols = x.shape(-1), rows = Layout.rows(x);
        double[] xs = x.toDoubleArray(), gs = dy.toDoubleArray(), mu = mean.toDoubleArray(), rs = rstd.toDoubleArray();
        double[] g = gamma == null ? null : gamma.toDoubleArray();
        Tensor dx = Tensor.empty(x.dtype(), x.shape());
        double[] dg = new double[cols], db = new double[cols];
        for (int r = 0; r < rows; r++) {
            // xhat = (x - mu) rstd;  dxhat = dy * gamma;  dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat))
            double m1 = 0, m2 = 0;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double xh = (xs[i] - mu[r]) * rs[r];
                double dxh = gs[i] * (g == null ? 1 : g[c]);
                m1 += dxh;
                m2 += dxh * xh;
                dg[c] += gs[i] * xh;
                db[c] += gs[i];
            }
            m1 /= cols;
            m2 /= cols;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double xh = (xs[i] - mu[r]) * rs[r];
                double dxh = gs[i] * (g == null ? 1 : g[c]);
                dx.storage().set(i, rs[r] * (dxh - m1 - xh * m2));
            }
        }
        if (gamma == null) return new Tensor[] {dx, null, null};
        return new Tensor[] {dx, Tensor.of(dg, cols).to(x.dtype()), Tensor.of(db, cols).to(x.dtype())};
    }

    @Override
    public Tensor indexSelect(Tensor table, int[] ids) {
        int[] ts = table.shape();
        int rows = ts[0], width = rows == 0 ? 0 : table.numel() / rows;
        int[] outShape = ts.clone();
        outShape[0] = ids.length;
        Tensor src = copy(table, table.dtype());
        Tensor out = Tensor.empty(table.dtype(), outShape);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) throw new IndexOutOfBoundsException("indexSelect: index " + ids[i] + " out of range [0, " + rows + ")");
            for (int c = 0; c < width; c++) out.storage().set(i * width + c, src.storage().get(ids[i] * width + c));
        }
        return out;
    }

    @Override
    public Tensor indexAdd(Tensor g, int[] ids, int rows) {
        int[] gs = g.shape();
        int width = ids.length == 0 ? 0 : g.numel() / ids.length;
        int[] outShape = gs.clone();
        outShape[0] = rows;
        Tensor gc = copy(g, g.dtype());
        Tensor out = Tensor.empty(g.dtype(), outShape);
        for (int i = 0; i < ids.length; i++) {
            for (int c = 0; c < width; c++) {
                int o = ids[i] * width + c;
                out.storage().set(o, out.storage().get(o) + gc.storage().get(i * width + c));
            }
        }
        return out;
    }

    @Override
    public Tensor gatherLast(Tensor a, int[] idx) {
        int cols = a.shape(-1), rows = Layout.rows(a);
        int[] off = Layout.offsets(a);
        int[] outShape = java.util.Arrays.copyOf(a.shape(), a.rank() - 1);
        Tensor out = Tensor.empty(a.dtype(), outShape);
        for (int r = 0; r < rows; r++) {
            if (idx[r] < 0 || idx[r] >= cols) throw new IndexOutOfBoundsException("gather: index " + idx[r] + " out of range [0, " + cols + ") at row " + r);
            out.storage().set(r, a.storage().get(off[r * cols + idx[r]]));
        }
        return out;
    }

    @Override
    public Tensor scatterLast(Tensor g, int[] idx, int cols) {
        int[] gs = g.shape();
        int[] outShape = java.util.Arrays.copyOf(gs, gs.length + 1);
        outShape[gs.length] = cols;
        Tensor out = Tensor.empty(g.dtype(), outShape);
        int[] off = Layout.offsets(g);
        for (int r = 0; r < idx.length; r++) out.storage().set(r * cols + idx[r], g.storage().get(off[r]));
        return out;
    }

    @Override
    public Tensor concat(Tensor[] parts, int axis) {
        int[] shape = parts[0].shape();
        int total = 0;
        for (Tensor p : parts) total += p.shape(axis);
        shape[axis] = total;
        Tensor out = Tensor.empty(parts[0].dtype(), shape);
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
        int start = 0;
        for (Tensor p : parts) {
            Tensor pc = copy(p, p.dtype());
            int len = p.shape(axis);
            for (int o = 0; o < outer; o++) {
                for (int j = 0; j < len * inner; j++) {
                    out.storage().set((o * total + start) * inner + j, pc.storage().get(o * len * inner + j));
                }
            }
            start += len;
        }
        return out;
    }

    @Override
    public Tensor pad(Tensor a, int[] before, int[] after, double value) {
        int[] s = a.shape(), os = s.clone();
        for (int i = 0; i < s.length; i++) os[i] = s[i] + before[i] + after[i];
        Tensor out = Tensor.full(a.dtype(), value, os);
        int[] off = Layout.offsets(a);
        int[] ost = Shape.contiguousStrides(os);
        int[] idx = new int[s.length];
        for (int i = 0; i < off.length; i++) {
            int o = 0;
            for (int d = 0; d < s.length; d++) o += (idx[d] + before[d]) * ost[d];
            out.storage().set(o, a.storage().get(off[i]));
            for (int d = s.length - 1; d >= 0 && ++idx[d] == s[d]; d--) idx[d] = 0;
        }
        return out;
    }
}
