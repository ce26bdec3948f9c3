#!/usr/bin/env python3
"""PyTorch peer of the JMH SinkhornBench: a direct log-domain Sinkhorn, forward + backward, on the same work.

Work (must stay equal to bench/src/main/java/dev/orcaj/bench/ot/SinkhornBench.java):
  x: 1000 points, y: 5000 points, d = 768, float32, standard normal (y shifted by 0.1), uniform weights;
  cost C(x, y) = |x - y|^2 / 2 (geomloss p = 2); not debiased;
  epsilon list: constant 50 for 100 iterations (SinkhornBench) -- or, with --schedule geomloss, the epsilon-scaling
  list of geomloss 0.2.x / dev.orcaj.ot.EpsilonSchedule.geomloss (diameter of the joint bounding box, blur 0.05,
  scaling 0.5);
  the symmetric damped updates of geomloss sinkhorn_loop (dev.orcaj.ot.SinkhornSolver.symmetric) without autograd,
  then one extrapolation step at the last epsilon with autograd on, C_yx = C(y, x.detach()) (the envelope-theorem
  gradient geomloss and ORCA-J use); value = <a, f> + <b, g>; backward = gradient of the value w.r.t. y.
  Cost matrices are built inside the timed call in both implementations.

Prints '# ...' comment lines, then machine-readable lines:
  sinkhorn_fwd_ms <median ms>
  sinkhorn_fwd_bwd_ms <median ms>
Without an importable torch it prints 'peer_sinkhorn: skipped: ...' and exits 0.
Usage: /usr/bin/python3 bench/peer_sinkhorn.py [--threads N] [--reps R] [--schedule constant|geomloss] [--size NxMxD]
"""
import argparse
import math
import statistics
import sys
import time

N, M, D, ITERATIONS, EPS = 1000, 5000, 768, 100, 50.0


def geomloss_schedule(p, diameter, blur, scaling):
    """dev.orcaj.ot.EpsilonSchedule.geomloss: [D^p] + [exp(e) for e in arange(p ln D, p ln blur, p ln scaling)] + [blur^p]."""
    start, stop, step = p * math.log(diameter), p * math.log(blur), p * math.log(scaling)
    n = max(0, math.ceil((stop - start) / step))
    delta = (start + step) - start
    mids = [math.exp(start if i == 0 else start + step if i == 1 else start + i * delta) for i in range(n)]
    return [diameter ** p] + mids + [blur ** p]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default)")
    ap.add_argument("--reps", type=int, default=5, help="timed repetitions after 2 warm-up calls")
    ap.add_argument("--schedule", choices=["constant", "geomloss"], default="constant")
    ap.add_argument("--size", default=f"{N}x{M}x{D}", help="NxMxD (smaller only for a smoke test)")
    args = ap.parse_args()
    n, m, d = (int(v) for v in args.size.split("x"))
    try:
        import torch
    except Exception as e:  # ImportError, or a broken install
        print(f"peer_sinkhorn: skipped: torch is not importable ({type(e).__name__}: {e})")
        return 0
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    gen = torch.Generator().manual_seed(42)
    x = torch.randn(n, d, generator=gen, dtype=torch.float32)
    y0 = torch.randn(m, d, generator=gen, dtype=torch.float32) + 0.1
    a_log = torch.full((n,), -math.log(n))
    b_log = torch.full((m,), -math.log(m))
    if args.schedule == "constant":
        eps_list = [EPS] * ITERATIONS
    else:
        lo = torch.minimum(x.min(0).values, y0.min(0).values)
        hi = torch.maximum(x.max(0).values, y0.max(0).values)
        eps_list = geomloss_schedule(2, float(torch.linalg.vector_norm((hi - lo).double())), 0.05, 0.5)

    def cost(u, v):
        # |u - v|^2 / 2 from one GEMM, as ORCA-J's cost matrices
        return ((u * u).sum(1, keepdim=True) + (v * v).sum(1)[None, :] - 2 * u @ v.T).clamp_min(0) / 2

    def softmin(eps, c, h):
        return -eps * torch.logsumexp(h[None, :] - c / eps, dim=1)

    def sinkhorn(y, backward):
        with torch.no_grad():
            c_xy = cost(x, y)
            c_yx = c_xy.T.contiguous()
            eps = eps_list[0]
            g_ab = softmin(eps, c_yx, a_log)
            f_ba = softmin(eps, c_xy, b_log)
            for eps in eps_list:
                ft = softmin(eps, c_xy, b_log + g_ab / eps)
                gt = softmin(eps, c_yx, a_log + f_ba / eps)
                f_ba, g_ab = 0.5 * (f_ba + ft), 0.5 * (g_ab + gt)
        with torch.set_grad_enabled(backward):
            c_yx_grad = cost(y, x) if backward else c_yx  # C(y, x.detach()): the only path to d/dy
            f_new = softmin(eps, c_xy, b_log + g_ab / eps)
            g_new = softmin(eps, c_yx_grad, a_log + f_ba / eps)
            value = (a_log.exp() * f_new).sum() + (b_log.exp() * g_new).sum()
        if backward:
            (grad,) = torch.autograd.grad(value, y)
            return value.item(), grad
        return value.item(), None

    def timed(backward):
        y = y0.clone().requires_grad_(backward)
        for _ in range(2):
            sinkhorn(y, backward)
        ms = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            v, _ = sinkhorn(y, backward)
            ms.append((time.perf_counter() - t0) * 1e3)
        return statistics.median(ms), v

    fwd_ms, v1 = timed(False)
    fb_ms, v2 = timed(True)
    print(f"# peer_sinkhorn: torch {torch.__version__}, threads {torch.get_num_threads()}, {n}x{m}x{d} float32, "
          f"{len(eps_list)} epsilon steps ({args.schedule}), value {v2:.6g}, median of {args.reps}")
    print(f"sinkhorn_fwd_ms {fwd_ms:.1f}")
    print(f"sinkhorn_fwd_bwd_ms {fb_ms:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
