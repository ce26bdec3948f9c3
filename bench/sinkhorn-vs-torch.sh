#!/usr/bin/env bash
# Sinkhorn 1000x5000x768 forward and forward+backward: ORCA-J (JMH SinkhornBench) next to the PyTorch log-domain
# peer (bench/peer_sinkhorn.py, same work), in one run, in the order ORCA-J, torch 2 thr, ORCA-J, torch 1 thr,
# so that both see the same host; prints the ratio torch / ORCA-J per round.
#   SKIP_BUILD=1 bench/sinkhorn-vs-torch.sh            # after a build (target/classes, bench/target/benchmarks.jar)
# Environment: JMH_ARGS (default "-f 1 -wi 1 -i 3 -w 3 -r 4"), ROUNDS (default 2), SCHEDULE (constant | geomloss:
# the peer's epsilon list; the JMH benchmark with the geomloss list is SinkhornBench.*Geomloss),
# CLASSES (ORCA-J's class folder, default target/classes), BASE_CLASSES (a class folder put before it for an A/B
# run of another ot build, e.g. the commit before).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
TORCH_PYTHON="${TORCH_PYTHON:-/usr/bin/python3}"
read -r -a JMH_ARGS <<< "${JMH_ARGS:--f 1 -wi 1 -i 3 -w 3 -r 4}"
ROUNDS="${ROUNDS:-2}"
SCHEDULE="${SCHEDULE:-constant}"
CLASSES="${CLASSES:-target/classes}"
if [ -z "${SKIP_BUILD:-}" ]; then
    mvn -B -q -ntp -P '!cuda-ptx' -DskipTests package
    mvn -B -q -ntp -f bench/pom.xml package
fi
if [ "$SCHEDULE" = geomloss ]; then PATTERN='SinkhornBench\.forward(Backward)?Geomloss$'; else PATTERN='SinkhornBench\.forward(Backward)?$'; fi

jmh() { # $1 = class path prefix label, $2 = class path
    "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$2" org.openjdk.jmh.Main "$PATTERN" "${JMH_ARGS[@]}" \
        -jvmArgsAppend "--add-modules=jdk.incubator.vector" 2>&1 | grep -E '^SinkhornBench' | sed "s/^/[$1] /"
}
echo "# host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) ($(nproc) CPUs), $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
    if [ -n "${BASE_CLASSES:-}" ]; then jmh "base r$r" "$BASE_CLASSES:$CLASSES:bench/target/benchmarks.jar"; fi
    jmh "orca-j r$r" "$CLASSES:bench/target/benchmarks.jar"
    t=$(( r % 2 == 1 ? 2 : 1 ))
    if "$TORCH_PYTHON" -c 'import torch' 2>/dev/null; then
        OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t "$TORCH_PYTHON" bench/peer_sinkhorn.py --threads "$t" --reps 3 --schedule "$SCHEDULE" \
            | sed "s/^/[torch ${t}thr r$r] /"
    else
        echo "peer skipped: torch is not importable by $TORCH_PYTHON"
    fi
done
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
