#!/usr/bin/env bash
# Side-by-side SGEMM in one run on one host: JMH GemmBench (ORCA-J Sgemm: sgemm = A B, sgemmTransB = A W^T) and
# FmaPeakBench (the host's FMA peak), numpy/OpenBLAS (A @ B, python3 on PATH, OPENBLAS_CORETYPE unset) and torch's
# oneDNN Linear (x W^T, Debian python3-torch at /usr/bin/python3; skipped with a message when it cannot be
# imported), each at 1 and 2 threads; then a markdown table of GFLOP/s, time ratios and shares of the FMA peak.
# Extra arguments go to GemmBench's JMH run, e.g. a quick check on two shapes:
#   bench/gemm-vs-numpy.sh -wi 2 -i 3 -p shape=1024x768x768,1024x768x3072
# SKIP_BUILD=1 reuses target/classes and bench/target/benchmarks.jar. PEER_SECONDS (default 2) is the time per
# peer measurement. Timings need quiet cores: other processes on the same cores distort every column.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PYTHON="${PYTHON:-python3}"
TORCH_PYTHON="${TORCH_PYTHON:-/usr/bin/python3}"
PEER_SECONDS="${PEER_SECONDS:-2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -ntp -DskipTests install
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -ntp -f bench/pom.xml package
# target/classes first: the working tree's kernels are measured even if ~/.m2 holds another build of orca-j.
JMH=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp target/classes:bench/target/benchmarks.jar
     org.openjdk.jmh.Main)

echo "== JMH FmaPeakBench"
WIDTH=256
grep -qw avx512f /proc/cpuinfo 2>/dev/null && WIDTH=512
"${JMH[@]}" "FmaPeakBench.p${WIDTH}" -rf csv -rff "$OUT/peak.csv"

echo "== JMH GemmBench"
"${JMH[@]}" GemmBench -rf csv -rff "$OUT/jmh.csv" "$@"

# the peers on the shapes JMH ran
SHAPES="$("$PYTHON" - "$OUT/jmh.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(",".join(dict.fromkeys(r["Param: shape"] for r in rows)))
PY
)"
for t in 1 2; do
    echo "== numpy, $t thread(s)"
    # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset so that OpenBLAS picks its best kernel itself.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
        "$PYTHON" bench/peer_gemm.py --lib numpy --threads "$t" --seconds "$PEER_SECONDS" --shapes "$SHAPES" \
        | tee "$OUT/numpy_$t.txt"
    echo "== torch oneDNN Linear, $t thread(s)"
    OMP_NUM_THREADS="$t" "$TORCH_PYTHON" bench/peer_gemm.py --lib torch --threads "$t" --seconds "$PEER_SECONDS" \
        --shapes "$SHAPES" | tee "$OUT/torch_$t.txt"
done

"$PYTHON" - "$OUT" "$WIDTH" <<'PY'
import csv, os, subprocess, sys
out, width = sys.argv[1], sys.argv[2]
def jmh_rows(name):
    for r in csv.DictReader(open(os.path.join(out, name))):
        yield r["Benchmark"].rsplit(".", 1)[1], r
peak = {}
for bench, r in jmh_rows("peak.csv"):
    if r["Unit"] != "ops/s":
        raise SystemExit("unexpected FmaPeakBench unit %s" % r["Unit"])
    peak[int(bench[-1])] = float(r["Score"]) / 1e9  # p256x1 -> 1 thread
java = {}
for bench, r in jmh_rows("jmh.csv"):
    if r["Unit"] != "ms/op":
        raise SystemExit("unexpected GemmBench unit %s" % r["Unit"])
    java[(bench, r["Param: shape"], int(r["Param: threads"]))] = float(r["Score"])
peer = {}
for lib in ("numpy", "torch"):
    for t in (1, 2):
        for line in open(os.path.join(out, "%s_%d.txt" % (lib, t))):
            if line.startswith("RESULT "):
                _, l, shape, threads, mean_ms, best_ms, cpu_ms = line.split()
                peer[(l, shape, int(threads))] = float(mean_ms)
def gflops(shape, ms):
    m, k, n = (int(v) for v in shape.split("x"))
    return 2.0 * m * k * n / (ms * 1e-3) / 1e9
def cell(x, fmt="%.1f"):
    return fmt % x if x is not None else "-"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
print()
print("Host: %s, %d cores visible; FMA peak (FmaPeakBench.p%s): %s GFLOP/s on 1 thread, %s on 2; commit %s"
      % (cpu, os.cpu_count(), width, cell(peak.get(1)), cell(peak.get(2)), commit))
print()
print("| MxKxN | thr | ORCA-J A·B GFLOP/s | % peak | numpy GFLOP/s | speed vs numpy | ORCA-J A·Wᵀ GFLOP/s "
      "| torch oneDNN GFLOP/s | speed vs torch |")
print("|---|---|---|---|---|---|---|---|---|")
shapes = sorted({(s, t) for (_, s, t) in java}, key=lambda x: (x[1], [int(v) for v in x[0].split("x")]))
for shape, t in shapes:
    nn, nt = java.get(("sgemm", shape, t)), java.get(("sgemmTransB", shape, t))
    np_ms, th_ms = peer.get(("numpy", shape, t)), peer.get(("torch", shape, t))
    g = lambda ms: gflops(shape, ms) if ms else None
    share = 100 * g(nn) / peak[t] if nn and t in peak else None
    print("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
        shape, t, cell(g(nn)), cell(share, "%.0f%%"), cell(g(np_ms)),
        cell(np_ms / nn if nn and np_ms else None, "%.2f"), cell(g(nt)), cell(g(th_ms)),
        cell(th_ms / nt if nt and th_ms else None, "%.2f")))
print()
print("speed = peer time / ORCA-J time (> 1: ORCA-J faster); all times are means per call (JMH average time,"
      " Python back-to-back loop). A·B is compared with numpy's matmul, A·Wᵀ with torch's Linear (x Wᵀ).")
PY
