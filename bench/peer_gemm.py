#!/usr/bin/env python3
"""Times the peers of GemmBench on its shapes (MxKxN) at a given thread count, in this interpreter:
  --lib numpy   C = A @ B with numpy's BLAS (OpenBLAS in the pip wheel); compare with GemmBench.sgemm
  --lib torch   y = nn.Linear(K, N, bias=False)(x) with x M x K, i.e. x W^T, through oneDNN: the layer converted
                with torch.utils.mkldnn.to_mkldnn and x already an mkldnn tensor (no conversion timed, output left
                in oneDNN layout: the most favourable case for torch); compare with GemmBench.sgemmTransB.
                Debian's python3-torch 1.13 is built with BLAS_INFO=generic, so a plain dense nn.Linear runs a
                reference BLAS (~2 GFLOP/s measured on the 2-core Zen 3 host): not a meaningful peer, not timed.
numpy and torch live in different interpreters here (python3 on PATH has numpy 2.4; Debian's /usr/bin/python3 has
python3-torch), so bench/gemm-vs-numpy.sh runs this script once per library and thread count. A library that
cannot be imported prints "SKIP <lib>: <reason>" and exits 0.

Output: a description of the library build, then one line per shape
    RESULT <lib> <shape> <threads> <mean_ms> <best_ms> <cpu_ms>
mean/best: wall time per call over ~`--seconds` of back-to-back calls after warm-up (mean is comparable to JMH's
average time); cpu_ms: process CPU time per call, which other processes on a shared host disturb less.
"""
import argparse
import ctypes
import glob
import os
import time

SHAPES = ["1024x384x384", "1024x384x768", "1024x384x1536", "1024x384x3072",
          "1024x768x384", "1024x768x768", "1024x768x1536", "1024x768x3072",
          "1024x3072x384", "1024x3072x768", "1024x3072x1536", "1024x3072x3072",
          "512x512x512", "2048x2048x2048"]


def openblas_info(np):
    """Returns (config, corename) of the OpenBLAS bundled with numpy, or None when it cannot be found."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*"))
    libs += glob.glob(os.path.join(os.path.dirname(np.__file__), ".dylibs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                try:
                    cfg = getattr(lib, prefix + "get_config" + suffix)
                    core = getattr(lib, prefix + "get_corename" + suffix)
                except AttributeError:
                    continue
                cfg.restype = core.restype = ctypes.c_char_p
                return cfg().decode(), core().decode()
    return None


def numpy_setup(threads):
    import numpy as np
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=threads, user_api="blas")
        how = "threadpoolctl"
    except ImportError:
        how = "OPENBLAS_NUM_THREADS=%s" % os.environ.get("OPENBLAS_NUM_THREADS", "<unset>")
    info = openblas_info(np)
    print("numpy %s, threads via %s" % (np.__version__, how))
    print("OpenBLAS config: %s | kernel (corename): %s" % info if info else "OpenBLAS info unavailable")
    print("OPENBLAS_CORETYPE=%s" % os.environ.get("OPENBLAS_CORETYPE", "<unset>"))
    rng = np.random.default_rng(1)

    def make(m, k, n):
        a = rng.random((m, k), dtype=np.float32) - 0.5
        b = rng.random((k, n), dtype=np.float32) - 0.5
        c = np.empty((m, n), dtype=np.float32)
        return lambda: np.matmul(a, b, out=c)
    return make


def torch_setup(threads):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    print("torch %s, %d thread(s), mkldnn available=%s" % (torch.__version__, torch.get_num_threads(),
                                                          torch.backends.mkldnn.is_available()))
    import re
    config = torch.__config__.show()
    print("torch build: %s, %s" % (", ".join(re.findall(r"CPU capability usage: \w+", config)),
                                   ", ".join(re.findall(r"BLAS_INFO=\w+", config))))

    from torch.utils import mkldnn

    def make(m, k, n):
        dense = torch.nn.Linear(k, n, bias=False).eval()
        layer = mkldnn.to_mkldnn(dense)
        x = torch.rand(m, k) - 0.5
        with torch.no_grad():
            # the oneDNN path computes the same product as the dense layer (guards against timing a wrong call);
            # checked on 8 rows, since the dense layer's generic BLAS is slow
            err = (layer(x[:8].to_mkldnn()).to_dense() - dense(x[:8])).abs().max().item()
        if err > 1e-3:
            raise SystemExit("torch oneDNN Linear differs from dense Linear by %g at %s" % (err, (m, k, n)))
        xm = x.to_mkldnn()

        def call():
            with torch.no_grad():
                layer(xm)
        return call
    return make


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", choices=["numpy", "torch"], required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    args = ap.parse_args()
    try:
        make = numpy_setup(args.threads) if args.lib == "numpy" else torch_setup(args.threads)
    except ImportError as e:
        print("SKIP %s: cannot import it in %s (%s)" % (args.lib, os.sys.executable, e))
        return
    for shape in args.shapes.split(","):
        m, k, n = (int(v) for v in shape.split("x"))
        call = make(m, k, n)
        for _ in range(5):
            call()
        times = []
        cpu0, start = time.process_time(), time.perf_counter()
        while time.perf_counter() - start < args.seconds or len(times) < 5:
            t = time.perf_counter()
            call()
            times.append(time.perf_counter() - t)
        cpu_ms = 1e3 * (time.process_time() - cpu0) / len(times)
        print("RESULT %s %s %d %.4f %.4f %.4f" % (args.lib, shape, args.threads, 1e3 * sum(times) / len(times),
                                                1e3 * min(times), cpu_ms))


if __name__ == "__main__":
    main()
