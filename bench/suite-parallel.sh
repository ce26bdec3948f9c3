#!/usr/bin/env bash
# `orca suite --parallel 2` (two runs at a time, each in its own JVM with 1 thread) against the serial suite (one run
# at a time with the suite file's 2 threads) on the same cells, side by side on this machine: wall time of each pass
# and a check that both wrote the same test numbers. Cells: diabetes (8 tokens) and StatLog DNA (15 tokens, 2000
# training rows: 40 % of the tuned suite's time) x {orca, finetune, scratch} x 2 seeds, 3 epochs each, every method
# with its configuration from the tuned suite's committed search (docs/results/tuned/search), so nothing is searched.
# Needs ../shared/data beside the repository. Usage: bench/suite-parallel.sh [JAR]   (JAVA=/path/to/jdk25/bin/java)
set -euo pipefail
repo=$(pwd)
jar=$(readlink -f "${1:-target/orca.jar}")
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
work=$(mktemp -d)
for mode in serial parallel; do
  for task in diabetes dna; do
    mkdir -p "$work/$mode/.work/tune/$task"
    cp "$repo/docs/results/tuned/search/$task/tune.json" "$work/$mode/.work/tune/$task/"
  done
  cat > "$work/$mode.yaml" <<YAML
name: parallel-bench
results: $work/$mode
methods: [orca, finetune, scratch]
seeds: 2
objective: otdd
common: {align-epochs: 20, max-samples: 64, source-samples: 1000, threads: 2}
tasks:
  - name: diabetes
    data: arff:$repo/../shared/data/openml-cc18/diabetes.arff
    metric: accuracy
  - name: dna
    data: dna:$repo/../shared/data/mlbench-statlog/dna_sequence.csv
tune: {trials: 1, min-epochs: 1, max-epochs: 3, eta: 3}
YAML
done
echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%FT%TZ)"
for mode in serial parallel; do
  extra=(); [ $mode = parallel ] && extra=(--parallel 2 --threads-per-run 1)
  s=$(date +%s.%N)
  "$java" -Xmx6g -jar "$jar" suite "$work/$mode.yaml" "${extra[@]}" > "$work/$mode.log" 2>&1 || { tail -20 "$work/$mode.log"; exit 1; }
  echo "$mode: wall $(echo "$(date +%s.%N) - $s" | bc | xargs printf '%.1f') s"
done
python3 - "$work" <<'PY'
import json, glob, os, sys
work = sys.argv[1]
same = True
for f in sorted(glob.glob(f"{work}/serial/*/*.json")):
    rel = os.path.relpath(f, f"{work}/serial")
    a, b = json.load(open(f)), json.load(open(f"{work}/parallel/{rel}"))
    eq = a["test"] == b["test"] and a["validation_curve"] == b["validation_curve"]
    same &= eq
    print(f"{rel}: serial {a['seconds']:.1f} s, parallel {b['seconds']:.1f} s, test {a['metric']} {a['value'] if 'value' in a else a['test'][a['metric']]:.4f}{'' if eq else ' DIFFERENT: ' + str(b['test'])}")
print("raw numbers: " + ("the same" if same else "DIFFERENT"))
sys.exit(0 if same else 1)
PY
