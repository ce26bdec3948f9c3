// Runs the real kernel sources of src/main/cuda under the CPU emulation in cuda_runtime.h, with the launch
// configurations the Java side uses, against plain double-precision loops written here. Prints one line per check:
// "PASS name max|diff|" or "FAIL name ..."; exit status = number of failures. Driven by KernelEmulationTest.
#include "elementwise.cu"
#include "reduce.cu"
#include "softmax.cu"
#include "layernorm.cu"
#include "gelu.cu"
#include "embedding.cu"
#include "patch.cu"
#include "cross_entropy.cu"
#include "adamw.cu"
#include "attention.cu"
#include "sinkhorn.cu"
#include "otdd_grad.cu"

#include <cstdio>
#include <random>
#include <string>

static int failures = 0;
static std::mt19937 rng(7);
static std::vector<float> randn(size_t n, float std = 1.f) {
    std::normal_distribution<float> d(0.f, std);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}
static void check(const std::string& name, const std::vector<double>& want, const std::vector<float>& got, double abs, double rel) {
    double scale = 0, worst = 0;
    for (double w : want) scale = std::max(scale, std::fabs(w));
    bool ok = want.size() == got.size();
    for (size_t i = 0; ok && i < want.size(); i++) {
        double d = std::fabs(want[i] - got[i]);
        if (!(d <= abs + rel * scale)) ok = false;
        worst = std::max(worst, d);
    }
    std::printf("%s %s max|diff| %.3g (scale %.3g)\n", ok ? "PASS" : "FAIL", name.c_str(), worst, scale);
    if (!ok) failures++;
}
static int grid_for(long n) { return (int) std::max(1L, std::min((n + 255) / 256, 65535L)); }
static View view(std::vector<int> shape, std::vector<int> stride, int offset = 0) {
    View v{};
    v.rank = (int) shape.size();
    for (size_t d = 0; d < shape.size(); d++) { v.shape[d] = shape[d]; v.stride[d] = stride[d]; }
    v.offset = offset;
    return v;
}

int main() {
    {   // broadcast binary: a [4,1,5] vs b [3,5] -> [4,3,5]; a transposed view copied
        auto a = randn(20), b = randn(15);
        std::vector<float> out(60);
        View va = view({4, 3, 5}, {5, 0, 1}), vb = view({4, 3, 5}, {0, 5, 1});
        emu::launch({(unsigned) grid_for(60)}, 256, [&] { binary_strided(2, va, a.data(), vb, b.data(), out.data(), 60); });
        std::vector<double> want(60);
        for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 5; k++) want[(i * 3 + j) * 5 + k] = (double) a[i * 5 + k] * b[j * 5 + k];
        check("binary_strided MUL broadcast", want, out, 0, 1e-7);
        auto m = randn(35);
        std::vector<float> t(35);
        View vt = view({7, 5}, {1, 7}, 0); // transpose of a [5, 7]
        emu::launch({1}, 256, [&] { strided_copy(vt, m.data(), t.data(), 35); });
        std::vector<double> wt(35);
        for (int i = 0; i < 7; i++) for (int j = 0; j < 5; j++) wt[i * 5 + j] = m[j * 7 + i];
        check("strided_copy transpose", wt, t, 0, 0);
        std::vector<float> u(35);
        emu::launch({1}, 256, [&] { unary_strided(15, vt, m.data(), u.data(), 35, -0.5f, 0.8f); });
        for (auto& w : wt) w = std::min(std::max(w, -0.5), (double) 0.8f); // the kernel clamps to the float bounds
        check("unary_strided CLAMP", wt, u, 0, 0);
    }
    {   // reductions
        int rows = 9, cols = 300;
        auto x = randn(rows * cols);
        std::vector<float> s(rows), mx(rows), cs(cols);
        std::vector<int> am(rows);
        x[3 * cols + 17] = 9.f; x[3 * cols + 200] = 9.f; // tie: first wins
        emu::launch({(unsigned) rows}, 256, [&] { reduce_rows(0, x.data(), s.data(), rows, cols); });
        emu::launch({(unsigned) rows}, 256, [&] { reduce_rows(1, x.data(), mx.data(), rows, cols); });
        emu::launch({(unsigned) rows}, 256, [&] { argmax_rows(x.data(), am.data(), rows, cols); });
        emu::launch({(unsigned) grid_for(cols)}, 256, [&] { column_sums(x.data(), cs.data(), rows, cols); });
        std::vector<double> ws(rows), wm(rows), wc(cols);
        std::vector<float> amf(rows), wam(rows);
        for (int r = 0; r < rows; r++) {
            wm[r] = -INFINITY;
            int best = 0;
            for (int c = 0; c < cols; c++) {
                ws[r] += x[r * cols + c]; wm[r] = std::max(wm[r], (double) x[r * cols + c]); wc[c] += x[r * cols + c];
                if (x[r * cols + c] > x[r * cols + best]) best = c;
            }
            wam[r] = best; amf[r] = am[r];
        }
        check("reduce_rows SUM", ws, s, 1e-5, 1e-5);
        check("reduce_rows MAX", wm, mx, 0, 0);
        check("column_sums", wc, cs, 1e-5, 1e-5);
        check("argmax_rows (first on ties)", std::vector<double>(wam.begin(), wam.end()), amf, 0, 0);
    }
    {   // softmax / log-softmax forward and backward
        int rows = 5, cols = 257;
        auto x = randn(rows * cols, 3.f), dy = randn(rows * cols);
        for (int lg = 0; lg < 2; lg++) {
            std::vector<float> y(rows * cols), dx(rows * cols);
            emu::launch({(unsigned) rows}, 256, [&] { softmax_rows(x.data(), y.data(), rows, cols, lg); });
            emu::launch({(unsigned) rows}, 256, [&] { softmax_backward_rows(y.data(), dy.data(), dx.data(), rows, cols, lg); });
            std::vector<double> wy(rows * cols), wdx(rows * cols);
            for (int r = 0; r < rows; r++) {
                double m = -INFINITY, s = 0, dot = 0;
                for (int c = 0; c < cols; c++) m = std::max(m, (double) x[r * cols + c]);
                for (int c = 0; c < cols; c++) s += std::exp(x[r * cols + c] - m);
                for (int c = 0; c < cols; c++) wy[r * cols + c] = lg ? x[r * cols + c] - m - std::log(s) : std::exp(x[r * cols + c] - m) / s;
                for (int c = 0; c < cols; c++) dot += lg ? dy[r * cols + c] : (double) dy[r * cols + c] * y[r * cols + c];
                for (int c = 0; c < cols; c++) wdx[r * cols + c] = lg ? dy[r * cols + c] - std::exp((double) y[r * cols + c]) * dot : y[r * cols + c] * (dy[r * cols + c] - dot);
            }
            check(lg ? "log_softmax_rows" : "softmax_rows", wy, y, 1e-6, 1e-5);
            check(lg ? "log_softmax_backward_rows" : "softmax_backward_rows", wdx, dx, 1e-6, 1e-5);
        }
    }
    {   // layer norm forward and backward
        int rows = 6, cols = 384;
        auto x = randn(rows * cols, 2.f), g = randn(cols), b = randn(cols), dy = randn(rows * cols);
        for (auto& v : x) v += 3.f;
        std::vector<float> y(rows * cols), mean(rows), rstd(rows), dx(rows * cols), dg(cols), db(cols);
        emu::launch({(unsigned) rows}, 256, [&] { layernorm_forward(x.data(), g.data(), b.data(), y.data(), mean.data(), rstd.data(), rows, cols, 1e-12f); });
        emu::launch({(unsigned) rows}, 256, [&] { layernorm_backward_dx(dy.data(), x.data(), g.data(), mean.data(), rstd.data(), dx.data(), rows, cols); });
        emu::launch({(unsigned) grid_for(cols)}, 256, [&] { layernorm_backward_params(dy.data(), x.data(), mean.data(), rstd.data(), dg.data(), db.data(), rows, cols); });
        std::vector<double> wy(rows * cols), wdx(rows * cols), wdg(cols), wdb(cols);
        for (int r = 0; r < rows; r++) {
            double mu = 0, var = 0, s1 = 0, s2 = 0;
            for (int c = 0; c < cols; c++) mu += x[r * cols + c];
            mu /= cols;
            for (int c = 0; c < cols; c++) var += (x[r * cols + c] - mu) * (x[r * cols + c] - mu);
            double rs = 1 / std::sqrt(var / cols + 1e-12);
            for (int c = 0; c < cols; c++) {
                double xh = (x[r * cols + c] - mu) * rs, gg = dy[r * cols + c] * g[c];
                wy[r * cols + c] = xh * g[c] + b[c];
                s1 += gg; s2 += gg * xh;
                wdg[c] += dy[r * cols + c] * xh; wdb[c] += dy[r * cols + c];
            }
            for (int c = 0; c < cols; c++) {
                double xh = (x[r * cols + c] - mu) * rs;
                wdx[r * cols + c] = rs * (dy[r * cols + c] * g[c] - s1 / cols - xh * s2 / cols);
            }
        }
        check("layernorm_forward", wy, y, 1e-5, 1e-5);
        check("layernorm_backward_dx", wdx, dx, 1e-5, 1e-5);
        check("layernorm_backward_params dgamma", wdg, dg, 1e-5, 1e-5);
        check("layernorm_backward_params dbeta", wdb, db, 1e-5, 1e-5);
    }
    {   // gelu
        int n = 1000;
        auto x = randn(n, 4.f), dy = randn(n);
        std::vector<float> y(n), dx(n);
        emu::launch({(unsigned) grid_for(n)}, 256, [&] { gelu_forward(x.data(), y.data(), n); });
        emu::launch({(unsigned) grid_for(n)}, 256, [&] { gelu_backward(x.data(), dy.data(), dx.data(), n); });
        std::vector<double> wy(n), wdx(n);
        for (int i = 0; i < n; i++) {
            double v = x[i], P = 0.5 * std::erfc(-v / std::sqrt(2.0));
            wy[i] = v * P;
            wdx[i] = dy[i] * (P + v * std::exp(-0.5 * v * v) / std::sqrt(2 * M_PI));
        }
        check("gelu_forward", wy, y, 1e-6, 1e-6);
        check("gelu_backward", wdx, dx, 1e-6, 1e-6);
    }
    {   // embedding scatter-add with repeated ids; patch unfold/fold
        int width = 8, rows = 10;
        std::vector<int> ids = {4, 0, 9, 4, 4};
        auto g = randn(ids.size() * width);
        std::vector<float> out(rows * width, 0.f);
        emu::launch({1}, 256, [&] { index_add_rows(g.data(), ids.data(), out.data(), (int) ids.size(), width); });
        std::vector<double> want(rows * width);
        for (size_t i = 0; i < ids.size(); i++) for (int c = 0; c < width; c++) want[ids[i] * width + c] += g[i * width + c];
        check("index_add_rows", want, out, 1e-6, 1e-6);
        int n = 2, ch = 3, k = 4, gh = 3, gw = 5, total = n * ch * gh * gw * k * k;
        auto img = randn(total);
        std::vector<float> p(total), back(total);
        emu::launch({(unsigned) grid_for(total)}, 256, [&] { patch_unfold2d(img.data(), p.data(), n, ch, k, gh, gw); });
        emu::launch({(unsigned) grid_for(total)}, 256, [&] { patch_fold2d(p.data(), back.data(), n, ch, k, gh, gw); });
        std::vector<double> wp(total);
        int H = gh * k, W = gw * k;
        for (int b = 0; b < n; b++) for (int c = 0; c < ch; c++) for (int yy = 0; yy < H; yy++) for (int xx = 0; xx < W; xx++)
            wp[((b * gh * gw) + (yy / k) * gw + xx / k) * ch * k * k + (c * k + yy % k) * k + xx % k] = img[((b * ch + c) * H + yy) * W + xx];
        check("patch_unfold2d", wp, p, 0, 0);
        check("patch_fold2d (inverse)", std::vector<double>(img.begin(), img.end()), back, 0, 0);
    }
    {   // cross-entropy with class weights and an ignored row; AdamW
        int rows = 7, k = 5;
        auto x = randn(rows * k, 3.f);
        std::vector<int> y = {0, 4, -100, 2, 2, 1, 3};
        std::vector<float> w = {1, 0.5f, 2, 1.5f, 0.25f}, loss(rows), grad(rows * k);
        double wsum = 0;
        for (int i = 0; i < rows; i++) if (y[i] != -100) wsum += w[y[i]];
        emu::launch({(unsigned) rows}, 256, [&] { cross_entropy_forward(x.data(), y.data(), w.data(), loss.data(), rows, k, -100); });
        emu::launch({(unsigned) rows}, 256, [&] { cross_entropy_backward(x.data(), y.data(), w.data(), grad.data(), rows, k, -100, (float) (1 / wsum)); });
        std::vector<double> wl(rows), wg(rows * k);
        for (int i = 0; i < rows; i++) {
            if (y[i] == -100) continue;
            double m = -INFINITY, s = 0;
            for (int c = 0; c < k; c++) m = std::max(m, (double) x[i * k + c]);
            for (int c = 0; c < k; c++) s += std::exp(x[i * k + c] - m);
            wl[i] = w[y[i]] * (m + std::log(s) - x[i * k + y[i]]);
            for (int c = 0; c < k; c++) wg[i * k + c] = w[y[i]] * (std::exp(x[i * k + c] - m) / s - (c == y[i])) / wsum;
        }
        check("cross_entropy_forward rows", wl, loss, 1e-5, 1e-5);
        check("cross_entropy_backward", wg, grad, 1e-6, 1e-5);
        int n = 300;
        auto p = randn(n), gr = randn(n, 0.1f), m = randn(n, 0.01f), v = randn(n, 0.001f);
        for (auto& t : v) t = std::fabs(t);
        std::vector<double> wp(n), wm(n), wv(n);
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        int step = 3;
        for (int i = 0; i < n; i++) {
            wm[i] = b1 * m[i] + (1 - b1) * gr[i];
            wv[i] = b2 * v[i] + (1 - b2) * (double) gr[i] * gr[i];
            wp[i] = p[i] * (1 - lr * wd) - lr / (1 - std::pow(b1, step)) * wm[i] / (std::sqrt(wv[i]) / std::sqrt(1 - std::pow(b2, step)) + eps);
        }
        emu::launch({(unsigned) grid_for(n)}, 256, [&] { adamw_step(p.data(), gr.data(), m.data(), v.data(), n, (float) b1, (float) b2, (float) eps, 0.f,
                (float) (1 - lr * wd), (float) (lr / (1 - std::pow(b1, step))), (float) std::sqrt(1 - std::pow(b2, step))); });
        check("adamw_step p", wp, p, 1e-6, 1e-6);
        check("adamw_step m", wm, m, 1e-9, 1e-6);
        check("adamw_step v", wv, v, 1e-12, 1e-6);
    }
    {   // masked attention, key mask [b, 1, 1, s] with strides {s, 0, 0, 1}
        int B = 2, H = 2, S = 13, D = 40;
        auto q = randn(B * H * S * D), k = randn(B * H * S * D), v = randn(B * H * S * D);
        std::vector<float> mask(B * S, 0.f), out(B * H * S * D);
        for (int b = 0; b < B; b++) for (int j = S - 3 * (b + 1); j < S; j++) mask[b * S + j] = -3.4028234663852886e38f;
        float scale = 1 / std::sqrt((float) D);
        int rows = B * H * S;
        emu::launch({(unsigned) ((rows + 7) / 8)}, 256, [&] { attention_forward(q.data(), k.data(), v.data(), mask.data(), S, 0, 0, 1, out.data(), B, H, S, S, D, scale); });
        std::vector<double> want(B * H * S * D);
        for (int bh = 0; bh < B * H; bh++) for (int i = 0; i < S; i++) {
            std::vector<double> sc(S);
            double m = -INFINITY, s = 0;
            for (int j = 0; j < S; j++) {
                double d = 0;
                for (int c = 0; c < D; c++) d += (double) q[(bh * S + i) * D + c] * k[(bh * S + j) * D + c];
                sc[j] = d * scale + mask[(bh / H) * S + j];
                m = std::max(m, sc[j]);
            }
            for (int j = 0; j < S; j++) s += std::exp(sc[j] - m);
            for (int c = 0; c < D; c++) { double a = 0; for (int j = 0; j < S; j++) a += std::exp(sc[j] - m) / s * v[(bh * S + j) * D + c]; want[(bh * S + i) * D + c] = a; }
        }
        check("attention_forward (key mask)", want, out, 1e-5, 1e-5);
    }
    {   // Sinkhorn soft-min from points with a label term; barycentres; gradient combination
        int n = 45, m = 70, d = 70, nl = 4;
        auto x = randn(n * d), y = randn(m * d, 1.2f), h = randn(m, 0.5f);
        std::vector<int> lx(n), ly(m);
        for (int i = 0; i < n; i++) lx[i] = i % 3;
        for (int j = 0; j < m; j++) ly[j] = j % nl;
        std::vector<float> table(3 * nl);
        for (int a = 0; a < 3; a++) for (int b = 0; b < nl; b++) table[a * nl + b] = (a + 1) * 0.7f + b * 0.3f;
        std::vector<float> sx(n), sy(m), out(n), bary(n * d);
        emu::launch({(unsigned) ((n + 7) / 8)}, 256, [&] { row_sq_norms(x.data(), sx.data(), n, d); });
        emu::launch({(unsigned) ((m + 7) / 8)}, 256, [&] { row_sq_norms(y.data(), sy.data(), m, d); });
        float eps = 3.f, fs = 0.5f, ls = 2.f;
        for (int p = 1; p <= 2; p++) {
            emu::launch({(unsigned) ((n + 31) / 32)}, 256, [&] { sinkhorn_softmin(x.data(), y.data(), sx.data(), sy.data(), lx.data(), ly.data(), table.data(), nl,
                    h.data(), out.data(), n, m, d, eps, fs, ls, p); });
            emu::launch({(unsigned) ((n + 31) / 32), (unsigned) ((d + 31) / 32)}, 256, [&] { softmax_times(x.data(), y.data(), sx.data(), sy.data(), lx.data(), ly.data(),
                    table.data(), nl, h.data(), out.data(), y.data(), bary.data(), n, m, d, d, eps, fs, ls, p); });
            std::vector<double> want(n), wb(n * d);
            for (int i = 0; i < n; i++) {
                std::vector<double> val(m);
                double mx = -INFINITY, s = 0;
                for (int j = 0; j < m; j++) {
                    double sq = 0;
                    for (int c = 0; c < d; c++) { double t = (double) x[i * d + c] - y[j * d + c]; sq += t * t; }
                    double cost = fs * (p == 2 ? sq : std::sqrt(sq)) + ls * table[lx[i] * nl + ly[j]];
                    val[j] = h[j] - cost / eps;
                    mx = std::max(mx, val[j]);
                }
                for (int j = 0; j < m; j++) s += std::exp(val[j] - mx);
                want[i] = -eps * (mx + std::log(s));
                for (int j = 0; j < m; j++) for (int c = 0; c < d; c++) wb[i * d + c] += std::exp(val[j] - mx) / s * y[j * d + c];
            }
            check("sinkhorn_softmin p=" + std::to_string(p), want, out, 1e-4, 1e-4);
            check("softmax_times p=" + std::to_string(p), wb, bary, 1e-4, 1e-4);
        }
        auto px = randn(m * d), qy = randn(m * d), logB = randn(m);
        std::vector<float> g(m * d);
        emu::launch({(unsigned) grid_for(m * d)}, 256, [&] { otdd_grad_combine(px.data(), qy.data(), y.data(), logB.data(), g.data(), m, d, 1.f); });
        std::vector<double> wg(m * d);
        for (int j = 0; j < m; j++) for (int c = 0; c < d; c++) wg[j * d + c] = std::exp((double) logB[j]) * (qy[j * d + c] - px[j * d + c]);
        check("otdd_grad_combine", wg, g, 1e-6, 1e-6);
    }
    std::printf("%d failed\n", failures);
    return failures;
}
