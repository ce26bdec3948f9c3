#!/usr/bin/env bash
# ORCA-J (JMH) next to PyTorch on the same work, in one run on one host, with a markdown ratio table for
# bench/RESULTS.md (host CPU, date, commit). Work: one MiniLM-sized encoder layer (forward+backward, B16xS64) and
# whole training steps (forward, masked mean-pool + Linear head, cross-entropy, backward, AdamW over all
# parameters): MiniLM-L6 at B16xS64 and B8xS512, a RoBERTa-base-shaped body (12 x 768, random weights) at
# B16xS64 with peak RSS of both processes (GNU time -v). PyTorch runs at 1 and 2 threads and its best counts.
# PyTorch is /usr/bin/python3 with Debian's python3-torch (TORCH_PYTHON overrides); it is skipped with a
# message when not importable. Debian's torch calls libblas.so.3: when that is the netlib reference BLAS and an
# OpenBLAS libblas.so.3 directory exists (TORCH_BLAS_DIR, or Debian's openblas-pthread/openmp directories), the
# torch runs get it through LD_LIBRARY_PATH; the BLAS each peer used is printed in the table.
# If the SGEMM / Sinkhorn peers of bench/ exist (peer_gemm.py, peer_sinkhorn.py) their RESULT lines are appended.
#   bench/side-by-side.sh                 # full run (~15-25 min on 2 cores)
#   QUICK=1 bench/side-by-side.sh         # short JMH iterations, fewer torch steps (a smoke run, noisy)
# Environment: SKIP_BUILD=1, OUT_MD (default bench/side-by-side.md), JTHREADS (ORCA-J threads, default 2),
# RSS_JAVA_OPTS (JVM flags of the peak-RSS run, default "-XX:+UseParallelGC -Xmx2600m": the smallest
# round heap the RoBERTa-base B16xS64 step was seen to run in; the JVM grows its heap to -Xmx under this allocation
# rate, so the limit, not the live set, sets the RSS), CASES (training-step cases,
# default minilm:16x64,minilm:8x512,roberta:16x64), REUSE (buffer reuse, default true), ATTENTION (fused | composed,
# default fused), RSS_CASE (default roberta:16x64; "none" skips the RSS runs).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
TORCH_PYTHON="${TORCH_PYTHON:-/usr/bin/python3}"
OUT_MD="${OUT_MD:-bench/side-by-side.md}"
JTHREADS="${JTHREADS:-2}"
RSS_JAVA_OPTS="${RSS_JAVA_OPTS:--XX:+UseParallelGC -Xmx2600m}"
CASES="${CASES:-minilm:16x64,minilm:8x512,roberta:16x64}"
RSS_CASE="${RSS_CASE:-roberta:16x64}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
    mvn -B -q -ntp -DskipTests install
    mvn -B -q -ntp -f bench/pom.xml package
fi
# target/classes first: the benchmark jar bundles whatever orca-j artifact ~/.m2 held when it was packaged.
CP="target/classes:bench/target/benchmarks.jar"
JVM=("$JAVA" --add-modules jdk.incubator.vector -cp "$CP")

if [ -n "${QUICK:-}" ]; then JMH_ITER=(-wi 1 -i 2 -w 3 -r 5); TORCH_STEPS=(--warmup 1 --steps 3); RSS_STEPS=3
else JMH_ITER=(-wi 3 -i 5 -w 5 -r 10); TORCH_STEPS=(--warmup 3 --steps 10); RSS_STEPS=6; fi

echo "== ORCA-J: JMH EncoderLayerBench.forwardBackward and TrainStepBench ($JTHREADS threads)"
"${JVM[@]}" org.openjdk.jmh.Main 'EncoderLayerBench.forwardBackward|TrainStepBench' -f 1 "${JMH_ITER[@]}" \
    -p threads="$JTHREADS" -p shape="$CASES" -p reuse="${REUSE:-true}" -p attention="${ATTENTION:-fused}" \
    -jvmArgsAppend "--add-modules=jdk.incubator.vector" -rf csv -rff "$WORK/jmh.csv"

if [ "$RSS_CASE" != none ]; then
    echo "== ORCA-J: peak RSS of $RSS_CASE training steps ($RSS_JAVA_OPTS)"
    IFS=':x' read -r rss_model rss_b rss_s <<< "$RSS_CASE"
    # shellcheck disable=SC2086  # flag list
    if ! /usr/bin/time -v -o "$WORK/java_rss.txt" "$JAVA" --add-modules jdk.incubator.vector $RSS_JAVA_OPTS -cp "$CP" \
            dev.orcaj.bench.TrainStep "$rss_model" "$rss_b" "$rss_s" "$RSS_STEPS" "$JTHREADS" > "$WORK/java_rss_log.txt" 2>&1; then
        echo "side-by-side.sh: the peak-RSS run failed (a larger -Xmx in RSS_JAVA_OPTS?); its last lines:" >&2
        tail -5 "$WORK/java_rss_log.txt" >&2
    fi
    grep '^RESULT' "$WORK/java_rss_log.txt" | tee "$WORK/java_rss_result.txt" || true
fi

TORCH_OK=""
if "$TORCH_PYTHON" -c 'import torch' 2>/dev/null; then
    TORCH_OK=1
    if [ -z "${TORCH_BLAS_DIR:-}" ]; then
        for d in /usr/lib/x86_64-linux-gnu/openblas-pthread /usr/lib/x86_64-linux-gnu/openblas-openmp; do
            [ -f "$d/libblas.so.3" ] && { TORCH_BLAS_DIR="$d"; break; }
        done
    fi
    TORCH_ENV=(env -u OPENBLAS_CORETYPE)
    [ -n "${TORCH_BLAS_DIR:-}" ] && TORCH_ENV+=(LD_LIBRARY_PATH="$TORCH_BLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
    for t in 1 2; do
        for c in layer:16x64 ${CASES//,/ }; do
            echo "== PyTorch $c, $t thread(s)"
            # one process per case: its peak RSS is that case's
            /usr/bin/time -v -o "$WORK/torch_rss_${c/:/_}_$t.txt" "${TORCH_ENV[@]}" OMP_NUM_THREADS="$t" \
                OPENBLAS_NUM_THREADS="$t" "$TORCH_PYTHON" bench/peer_train_step.py --cases "$c" --threads "$t" \
                "${TORCH_STEPS[@]}" | tee -a "$WORK/torch.txt" || echo "side-by-side.sh: PyTorch $c ($t threads) failed" >&2
        done
    done
else
    echo "== PyTorch: not importable by $TORCH_PYTHON (install Debian python3-torch): peer columns left empty"
fi

for peer in peer_gemm.py peer_sinkhorn.py; do
    if [ -f "bench/$peer" ] && [ -n "$TORCH_OK" ]; then
        echo "== bench/$peer"
        for t in 1 2; do
            "${TORCH_ENV[@]}" OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" "$TORCH_PYTHON" "bench/$peer" --threads "$t" \
                | tee -a "$WORK/other_peers.txt" || echo "bench/$peer failed (threads $t)"
        done
    fi
done

COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo '+uncommitted')"
python3 - "$WORK" "$COMMIT" "$JTHREADS" "$RSS_JAVA_OPTS" "$RSS_CASE" > "$WORK/table.md" <<'PY'
import csv, os, re, sys, datetime
work, commit, jthreads, rss_opts, rss_case = sys.argv[1:6]
cpu_model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
java = {}
for r in csv.DictReader(open(os.path.join(work, "jmh.csv"))):
    if r["Unit"] != "ms/op":
        continue  # -prof gc rows
    case = "layer:16x64" if "EncoderLayerBench" in r["Benchmark"] else r["Param: shape"]
    java[case] = (float(r["Score"]), float(r["Score Error (99.9%)"] or "nan"))
torch, torch_cpu, blas = {}, {}, set()
path = os.path.join(work, "torch.txt")
if os.path.exists(path):
    for line in open(path):
        if line.startswith("BLAS "):
            blas.add(line.split(None, 1)[1].strip())
        m = re.match(r"RESULT (\S+) threads=(\d+) mean_ms=([\d.]+) best_ms=([\d.]+) maxrss_mb=(\d+)", line)
        if m:
            torch.setdefault(m.group(1), {})[int(m.group(2))] = float(m.group(3))
            cpu = re.search(r"cpu_ms=([\d.]+)", line)
            if cpu:
                torch_cpu.setdefault(m.group(1), {})[int(m.group(2))] = float(cpu.group(1))
def rss_mb(f):
    for line in open(f):
        if "Maximum resident set size" in line:
            return int(line.rsplit(":", 1)[1]) / 1024
    return float("nan")
names = {"layer:16x64": "encoder layer fwd+bwd, MiniLM size, B16xS64",
         "minilm:16x64": "MiniLM-L6 train step B16xS64", "minilm:8x512": "MiniLM-L6 train step B8xS512",
         "roberta:16x64": "RoBERTa-base-shape train step B16xS64"}
print("Host: %s (%d logical CPUs), %s, commit %s. ORCA-J: JMH mean, %s threads. PyTorch %s: mean of timed steps,"
      " best of 1 and 2 threads; BLAS: %s. Ratio = ORCA-J time / PyTorch best (< 1: ORCA-J faster)."
      % (cpu_model, os.cpu_count(), datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), commit,
         jthreads, "(not run)" if not torch else __import__("subprocess").run(
             [os.environ.get("TORCH_PYTHON", "/usr/bin/python3"), "-c", "import torch; print(torch.__version__)"],
             capture_output=True, text=True).stdout.strip(), ", ".join(sorted(blas)) or "-"))
print()
print("| work | ORCA-J ms | PyTorch 1 thr ms | PyTorch 2 thr ms | ratio |")
print("|---|---:|---:|---:|---:|")
for case in names:
    if case not in java:
        continue
    jms, err = java[case]
    t = torch.get(case, {})
    best = min(t.values()) if t else None
    cell = lambda v: "%.1f" % v if v is not None else "-"
    print("| %s | %.1f ± %.1f | %s | %s | %s |" % (names[case], jms, err, cell(t.get(1)), cell(t.get(2)),
          "%.2f" % (jms / best) if best else "-"))
print()
if rss_case != "none":
    j = rss_mb(os.path.join(work, "java_rss.txt"))
    line = "Peak RSS, %s: ORCA-J %.0f MB (TrainStep main, %s)" % (names.get(rss_case, rss_case), j, rss_opts)
    for t in (1, 2):
        f = os.path.join(work, "torch_rss_%s_%d.txt" % (rss_case.replace(":", "_"), t))
        if os.path.exists(f):
            line += ", PyTorch %d thr %.0f MB" % (t, rss_mb(f))
    print(line + " (GNU time -v, whole process).")
    r = open(os.path.join(work, "java_rss_result.txt")).read() if os.path.exists(os.path.join(work, "java_rss_result.txt")) else ""
    m = re.search(r"cpu_ms=([\d.]+) alloc_mb_per_step=([\d.]+) gc_share=([\d.]+)", r)
    if m:
        print()
        print("ORCA-J steady state (%s, second half of the RSS run): %s MB allocated per step, GC %.1f %% of step time."
              % (rss_case, m.group(2), 100 * float(m.group(3))))
        # process CPU time (all threads) per step: less distorted than wall time when other jobs share the cores
        tc = torch_cpu.get(rss_case, {})
        print("CPU time per step, all threads: ORCA-J %s ms%s." % (m.group(1), "".join(
            ", PyTorch %d thr %.0f ms" % (t, tc[t]) for t in sorted(tc))))
other = os.path.join(work, "other_peers.txt")
if os.path.exists(other):
    print()
    print("Other peers (raw):")
    print()
    print("```")
    print(open(other).read().rstrip())
    print("```")
PY
tmp="$(mktemp "$OUT_MD.XXXX")"
cp "$WORK/table.md" "$tmp" && mv "$tmp" "$OUT_MD"
echo
cat "$OUT_MD"
echo
echo "(written to $OUT_MD)"
