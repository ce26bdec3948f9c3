#!/usr/bin/env python3
"""Times numpy float32 matmul C = A @ B on the GemmBench shapes (MxKxN) with a given BLAS thread count.

Thread control: threadpoolctl when installed, otherwise the caller sets OPENBLAS_NUM_THREADS for this process
(bench/gemm-vs-numpy.sh does). Prints the BLAS build/kernel in use, then one line per shape:
    RESULT <shape> <threads> <mean_ms> <best_ms>
Mean is over ~`--seconds` of back-to-back calls after warm-up (comparable to JMH's average time).
"""
import argparse
import ctypes
import glob
import os
import time

import numpy as np

SHAPES = ["1024x768x768", "1024x768x3072", "1024x3072x768", "512x512x512", "2048x2048x2048"]


def openblas_info():
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    args = ap.parse_args()

    limiter = None
    try:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(limits=args.threads, user_api="blas")
        how = "threadpoolctl"
    except ImportError:
        how = "OPENBLAS_NUM_THREADS=%s" % os.environ.get("OPENBLAS_NUM_THREADS", "<unset>")
    info = openblas_info()
    print("numpy %s, threads via %s" % (np.__version__, how))
    print("OpenBLAS config: %s | kernel (corename): %s" % info if info else "OpenBLAS info unavailable")
    print("OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s" % (os.environ.get("OPENBLAS_CORETYPE", "<unset>"),
                                                      os.environ.get("OPENBLAS_L2_SIZE", "<unset>")))
    rng = np.random.default_rng(1)
    for shape in args.shapes.split(","):
        m, k, n = (int(v) for v in shape.split("x"))
        a = (rng.random((m, k), dtype=np.float32) - 0.5)
        b = (rng.random((k, n), dtype=np.float32) - 0.5)
        c = np.empty((m, n), dtype=np.float32)
        for _ in range(5):
            np.matmul(a, b, out=c)
        times = []
        start = time.perf_counter()
        while time.perf_counter() - start < args.seconds or len(times) < 5:
            t = time.perf_counter()
            np.matmul(a, b, out=c)
            times.append(time.perf_counter() - t)
        print("RESULT %s %d %.4f %.4f" % (shape, args.threads, 1e3 * sum(times) / len(times), 1e3 * min(times)))
    if limiter is not None:
        limiter.unregister()


if __name__ == "__main__":
    main()
