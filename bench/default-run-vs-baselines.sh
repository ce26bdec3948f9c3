#!/usr/bin/env bash
# The default job (`orca` with no arguments) against its reference baselines: runs it in a fresh directory (no
# ../shared needed), prints its last lines (each model's test metric against the trivial and linear baselines) and its
# wall and CPU time, and fails unless the ORCA model beats both baselines by at least MARGIN (default 5%) of the linear
# model's score. Too long for the unit tests (minutes of training); a benchmark, as bench/README rules say.
# Usage: bench/default-run-vs-baselines.sh [JAR]   (JAVA=/path/to/jdk25/bin/java to pick the JVM)
set -euo pipefail
jar=$(readlink -f "${1:-target/orca.jar}")
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
margin=${MARGIN:-0.05}
work=$(mktemp -d)
cd "$work"
/usr/bin/time -v "$java" -jar "$jar" > run.log 2> time.log || { tail -30 run.log time.log; exit 1; }
echo "last lines of 'orca' (in $work):"
tail -6 run.log
grep -E "Elapsed \(wall|User time|System time|Maximum resident" time.log
python3 - "$margin" <<'PY'
import json, glob, sys
margin = float(sys.argv[1])
m = json.load(open(glob.glob("orca-runs/*/metrics.json")[0]))
metric = m["runs"][0]["select_metric"]
higher = metric not in ("relative_l2", "nrmse", "mse", "rmse", "mae", "mae8")
ref = {k: m["reference"][k]["test"][metric] for k in ("trivial", "linear")}
ok = True
for r in m["runs"]:
    v = r["test"][metric]
    for k, b in ref.items():
        bar = b * (1 + margin) if higher else b * (1 - margin)
        good = v > bar if higher else v < bar
        print(f"{r['method']} seed {r['seed']}: test {metric} {v:.4f} vs {k} {b:.4f} (with {margin:.0%} margin {bar:.4f}): {'beats' if good else 'does NOT beat'}")
        if r["method"] == "orca":
            ok &= good
sys.exit(0 if ok else 1)
PY
