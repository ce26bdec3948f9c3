#!/usr/bin/env bash
# Reproduces docs/RESULTS.md: ORCA vs plain fine-tuning vs train-from-scratch with the built-in MiniLM body on four
# real tasks from ../shared/data (3 seeds each), plus the OTDD / MMD / Euclidean ablation on two tasks.
# Each row of RESULTS.md names the exact command below. Writes reports under docs/results-runs/ (git-ignored), then
# aggregates them with docs/aggregate-results.py. Takes about an hour on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
D=../shared/data
OUT=docs/results-runs
mkdir -p "$OUT"
./orcaw --help > /dev/null   # builds target/orca.jar if needed
J="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -1)/bin/java"
run() { local name=$1; shift; echo "== $name: orca run $*"; "$J" -jar "${ORCA_JAR:-target/orca.jar}" run "$@" --out "$OUT/$name" > "$OUT/$name.log" 2>&1; }

COMMON="--methods orca,finetune,scratch --seeds 3 --align-epochs 10 --max-samples 64 --source-samples 1000"
run ecg200   --data ucr:$D/ucr-archive-2018/ECG200 --patch 4 --epochs 6 --batch-size 16 --lr 3e-4 $COMMON
run diabetes --data arff:$D/openml-cc18/diabetes.arff --epochs 4 --batch-size 32 --lr 3e-4 $COMMON
run dna      --data dna:$D/mlbench-statlog/dna_sequence.csv --patch 6 --epochs 3 --batch-size 32 --lr 3e-4 $COMMON
run darcy16  --data darcy:$D/neuralop-darcy-small --patch 4 --epochs 3 --batch-size 32 --lr 1e-3 $COMMON

ABL="--methods orca --seeds 3 --align-epochs 10 --max-samples 64 --source-samples 1000"
for obj in mmd euclidean; do
  run ecg200-$obj   --data ucr:$D/ucr-archive-2018/ECG200 --patch 4 --epochs 6 --batch-size 16 --lr 3e-4 --objective $obj $ABL
  run diabetes-$obj --data arff:$D/openml-cc18/diabetes.arff --epochs 4 --batch-size 32 --lr 3e-4 --objective $obj $ABL
done
python3 docs/aggregate-results.py "$OUT"
