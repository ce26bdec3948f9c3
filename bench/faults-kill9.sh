#!/usr/bin/env bash
# Fault checks of the built jar with real processes (issue 11 items 1 and 3):
#   1. kill -9 of the `java -jar orca.jar` launcher: the relaunched training JVM must exit too (no orphan);
#   2. a second `orca run --resume` beside a live run fails naming the lock file and the owner's pid;
#   3. the issue's stale-model reproduction: a finished lr 1e-4 run copied to X, a new lr 1e-3 run in X killed after its first
#      checkpoint, `run --resume X` must not report the lr 1e-4 model as its result.
set -euo pipefail
cd "$(dirname "$0")/.."
./orcaw --version >/dev/null # builds target/orca.jar when needed
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work=$(mktemp -d "${TMPDIR:-/tmp}/orca-faults.XXXXXX")
args=(--data pde:advection:32:80 --methods finetune --batch-size 8 --checkpoint-every 4 --threads 2)
wait_for() { local i; for i in $(seq 1 600); do eval "$1" && return 0; sleep 0.1; done; echo "timed out waiting for: $1" >&2; exit 1; }

echo "== 1. kill -9 of the java -jar launcher"
"$JAVA" -jar target/orca.jar run "${args[@]}" --epochs 50 --out "$work/orphan" >"$work/orphan.log" 2>&1 &
launcher=$!
wait_for '[ -n "$(pgrep -P $launcher)" ]'
child=$(pgrep -P "$launcher")
sleep 2
kill -9 "$launcher"
for i in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$child" 2>/dev/null; then echo "FAIL: relaunched JVM $child still running 5 s after its launcher was killed"; kill -9 "$child"; exit 1; fi
echo "relaunched JVM $child exited $(( i / 10 )).$(( i % 10 )) s after the launcher; its last line: $(tail -1 "$work/orphan.log")"

echo "== 2. --resume beside a live run"
./orcaw run "${args[@]}" --epochs 50 --out "$work/live" >"$work/live.log" 2>&1 &
live=$!
wait_for '[ -f "$work/live/run.json" ]'
set +e; ./orcaw run --resume "$work/live" >"$work/second.log" 2>&1; rc=$?; set -e
kill -9 "$live"; wait "$live" 2>/dev/null || true
echo "second run: exit $rc: $(grep '^orca:' "$work/second.log")"
[ "$rc" = 2 ] && grep -q "is in use by another orca run (pid" "$work/second.log"

echo "== 3. stale model in a reused directory"
./orcaw run "${args[@]}" --epochs 1 --lr 1e-4 --out "$work/done" >"$work/done.log"
cp -r "$work/done" "$work/x"
setsid ./orcaw run "${args[@]}" --epochs 3 --lr 1e-3 --out "$work/x" >"$work/x.log" 2>&1 &
pid=$!
wait_for 'compgen -G "$work/x/checkpoints/*.safetensors" >/dev/null'
kill -9 -- "-$pid"; wait "$pid" 2>/dev/null || true
./orcaw run --resume "$work/x" | tee "$work/resume.log" | grep -E "ignoring|finished before|resuming from"
grep -q "ignoring" "$work/resume.log" && ! grep -q "finished before the interruption" "$work/resume.log"
python3 - "$work/x/models/finetune-seed0.safetensors" <<'PY'
import json, struct, sys
raw = open(sys.argv[1], "rb").read(); n = struct.unpack("<Q", raw[:8])[0]
lr = json.loads(json.loads(raw[8:8 + n])["__metadata__"]["orcaj.settings"])["--lr"]
print("model now records --lr", lr); sys.exit(0 if lr == "0.001" else 1)
PY
echo "fault checks passed ($work)"
