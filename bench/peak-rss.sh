#!/usr/bin/env bash
# Peak RSS of a whole `orca run` on ECG200 with MiniLM and 5000 WordNet source texts (issue 10 memory target:
# under 1.5 GB), measured with /usr/bin/time -v around `java -jar`, i.e. the largest process of the run (the
# jar relaunches itself as a child JVM; ru_maxrss of the children is that child's peak). A fresh feature cache
# and output folder each time, so the source-proxy pass is part of the run.
#   bench/peak-rss.sh [JAR] [extra orca run flags...]     e.g. bench/peak-rss.sh target/orca.jar --threads 2
# Short by default: EPOCHS=1 ALIGN_EPOCHS=2 METHODS=orca (environment variables, e.g. METHODS=orca,finetune,scratch).
# JAVA_OPTS (e.g. -Xmx3g) go before -jar.
# Prints the run's summary, then machine-readable lines: peak_rss_mb, wall_s, exit_status.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR="${1:-target/orca.jar}"
[ $# -gt 0 ] && shift
[ -f "$JAR" ] || { echo "peak-rss: $JAR not found (build with: mvn -B -q -DskipTests package)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "peak-rss: /usr/bin/time (GNU time) is needed for -v" >&2; exit 2; }
DATA="${DATA:-ucr:../shared/data/ucr-archive-2018/ECG200}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
set +e
# shellcheck disable=SC2086
/usr/bin/time -v -o "$TMP/time.txt" "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar "$JAR" run --data "$DATA" \
    --source-samples 5000 --epochs "${EPOCHS:-1}" --align-epochs "${ALIGN_EPOCHS:-2}" --methods "${METHODS:-orca}" \
    --out "$TMP/out" --cache-dir "$TMP/cache" "$@" > "$TMP/run.log" 2>&1
status=$?
set -e
grep -v '^stage ' "$TMP/run.log" | grep -v '^WARNING: Using incubator' || true
kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time.txt" | awk -F: '{s=0; for (i=1;i<=NF;i++) s=s*60+$i; print s}')
echo "peak_rss_mb $((kb / 1024))"
echo "wall_s $wall"
echo "exit_status $status"
