#!/usr/bin/env bash
# Side-by-side SGEMM: JMH GemmBench (ORCA-J Sgemm) and numpy/OpenBLAS on the same shapes, 1 and 2 threads,
# in one run, then a table of GFLOP/s and Java/numpy ratios. Extra arguments go to JMH, e.g. a quick check:
#   bench/gemm-vs-numpy.sh -wi 2 -i 3 -w 1 -r 1 -p shape=1024x768x768,1024x768x3072
# Timings need a quiet machine: other processes on the same cores distort both columns.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PYTHON="${PYTHON:-python3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -ntp -DskipTests install
[ -n "${SKIP_BUILD:-}" ] || mvn -B -q -ntp -f bench/pom.xml package

echo "== JMH GemmBench"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBench \
    -rf csv -rff "$OUT/jmh.csv" "$@"

# numpy on the shapes JMH ran
SHAPES="$("$PYTHON" - "$OUT/jmh.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(",".join(dict.fromkeys(r["Param: shape"] for r in rows)))
PY
)"
for t in 1 2; do
    echo "== numpy, $t thread(s)"
    # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for numpy only, so OpenBLAS picks its best kernel itself.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
        "$PYTHON" bench/numpy_gemm.py --threads "$t" --shapes "$SHAPES" | tee "$OUT/numpy_$t.txt"
done

"$PYTHON" - "$OUT" <<'PY'
import csv, os, sys
out = sys.argv[1]
java = {}
for r in csv.DictReader(open(os.path.join(out, "jmh.csv"))):
    ms = float(r["Score"])
    if r["Unit"] != "ms/op":
        raise SystemExit("unexpected JMH unit %s" % r["Unit"])
    java[(r["Param: shape"], int(r["Param: threads"]))] = (ms, float(r["Score Error (99.9%)"] or "nan"))
numpy = {}
for t in (1, 2):
    for line in open(os.path.join(out, "numpy_%d.txt" % t)):
        if line.startswith("RESULT "):
            _, shape, threads, mean_ms, best_ms = line.split()
            numpy[(shape, int(threads))] = (float(mean_ms), float(best_ms))
def gflops(shape, ms):
    m, k, n = (int(v) for v in shape.split("x"))
    return 2.0 * m * k * n / (ms * 1e-3) / 1e9
print()
print("%-16s %3s | %10s %8s | %10s %8s | %6s" % ("MxKxN", "thr", "java ms", "GFLOP/s", "numpy ms", "GFLOP/s", "ratio"))
for key in sorted(java, key=lambda x: (x[1], x[0])):
    shape, t = key
    jms, err = java[key]
    line = "%-16s %3d | %10.3f %8.1f |" % (shape, t, jms, gflops(shape, jms))
    if key in numpy:
        nms = numpy[key][0]
        line += " %10.3f %8.1f | %6.2f" % (nms, gflops(shape, nms), nms / jms)
    print(line)
print("ratio = numpy time / Java time = Java GFLOP/s / numpy GFLOP/s (both are mean times per call)")
PY
