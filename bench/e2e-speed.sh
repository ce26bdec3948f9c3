#!/usr/bin/env bash
# Times whole `orca run`s on ECG200 (methods orca,finetune,scratch, one fixed small budget) for one or more jars,
# alternating them ROUNDS times in one run of this script so they see the same host load, e.g. this commit
# against the commit before issue 10's work:
#   git worktree add /tmp/orca-before 6510e69 && (cd /tmp/orca-before && mvn -B -q -ntp -DskipTests package)
#   bench/e2e-speed.sh target/orca.jar /tmp/orca-before/target/orca.jar
# Prints per run: wall seconds, CPU seconds (user + sys, all threads) and peak RSS (GNU time -v), then a markdown
# table of medians and the speed-up of each jar relative to the LAST jar given. On a shared host the CPU seconds are
# the steadier measure (wall time there depends on what else runs); the target is stated in wall time on quiet cores. Every run gets a fresh source-feature cache and output directory, so
# the stage-2 source proxy (5000 WordNet glosses through MiniLM) is computed each time.
# Environment: ROUNDS (default 2), THREADS (default 2), E2E_ARGS (replaces the budget flags below),
# DATA (default ../shared/data/ucr-archive-2018/ECG200 relative to the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/e2e-speed.sh JAR [JAR...]" >&2; exit 2; }
for j in "$@"; do [ -f "$j" ] || { echo "e2e-speed.sh: jar '$j' not found" >&2; exit 2; }; done
[ -x /usr/bin/time ] || { echo "e2e-speed.sh: /usr/bin/time (GNU time) is required for peak RSS" >&2; exit 2; }
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
ROUNDS="${ROUNDS:-2}"
THREADS="${THREADS:-2}"
DATA="${DATA:-../shared/data/ucr-archive-2018/ECG200}"
[ -d "$DATA" ] || { echo "e2e-speed.sh: ECG200 not found at '$DATA' (set DATA)" >&2; exit 2; }
BUDGET="${E2E_ARGS:---methods orca,finetune,scratch --seeds 1 --epochs 2 --align-epochs 2 --source-samples 5000 --batch-size 16 --patch 4}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results.txt"

for round in $(seq 1 "$ROUNDS"); do
    for idx in $(seq 1 $#); do
        jar="${!idx}"
        run="$WORK/r${round}-j${idx}"
        mkdir -p "$run/cache"
        echo "== round $round, jar $idx: $jar"
        # shellcheck disable=SC2086  # BUDGET is a flag list
        if ! /usr/bin/time -v -o "$run/time.txt" "$JAVA" --add-modules jdk.incubator.vector -jar "$jar" run \
                --data "ucr:$DATA" $BUDGET --threads "$THREADS" --cache-dir "$run/cache" --out "$run/out" \
                > "$run/log.txt" 2>&1; then
            echo "e2e-speed.sh: run failed, last lines of its log:" >&2
            tail -20 "$run/log.txt" >&2
            exit 1
        fi
        wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$run/time.txt" \
            | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$run/time.txt")
        cpu=$(awk -F': ' '/User time \(seconds\)|System time \(seconds\)/ { s += $2 } END { print s }' "$run/time.txt")
        printf '%s %s %s %s\n' "$idx" "$wall" "$rss" "$cpu" >> "$RESULTS"
        printf '   wall %.1f s, CPU %.1f s, peak RSS %.0f MB\n' "$wall" "$cpu" "$(echo "$rss / 1024" | bc -l)"
        rm -rf "$run/cache" "$run/out"
    done
done

echo
echo "ECG200 \`orca run\` ($BUDGET, --threads $THREADS), $ROUNDS round(s) alternating; host: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
python3 - "$RESULTS" "$@" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
jars = sys.argv[2:]
def median(idx, col):
    return statistics.median(float(r[col]) for r in rows if int(r[0]) == idx)
base, base_cpu = median(len(jars), 1), median(len(jars), 3)
print("| jar | median wall s | median CPU s (user+sys) | median peak RSS MB | speed-up vs %s (wall) | (CPU) |" % jars[-1])
print("|---|---:|---:|---:|---:|---:|")
for i, jar in enumerate(jars, 1):
    wall, cpu = median(i, 1), median(i, 3)
    print("| %s | %.1f | %.1f | %.0f | %.2fx | %.2fx |" % (jar, wall, cpu, median(i, 2) / 1024, base / wall, base_cpu / cpu))
PY
