#!/usr/bin/env bash
# Interrupt-and-resume check of `orca run` with a real kill -9:
#   1. an uninterrupted run A;
#   2. the same run B, killed with SIGKILL once it has written a checkpoint (mid-stage-3 by default);
#   3. `orca run --resume B`;
# then B's test metrics, per-epoch train losses and every saved parameter must equal A's bit for bit
# (same seed, same thread count). Any `orca run` flags can be passed to override the defaults below, e.g.
#   bench/resume-kill9.sh --data ucr:../shared/data/ucr-archive-2018/ECG200 --methods orca --align-epochs 4
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/orca-resume.XXXXXX")
args=(--data pde:advection:32:80 --methods finetune --epochs 3 --batch-size 8 --checkpoint-every 4 --threads 2 "$@")
./orcaw --version >/dev/null # builds the jar once, outside the timed runs

echo "== A: uninterrupted run"
./orcaw run "${args[@]}" --out "$work/a" >"$work/a.log"

echo "== B: killed with SIGKILL after its first checkpoint"
setsid ./orcaw run "${args[@]}" --out "$work/b" >"$work/b.log" 2>&1 &
pid=$!
while ! compgen -G "$work/b/checkpoints/*.safetensors" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "B finished before a checkpoint appeared; use a longer run" >&2; exit 1; }
  sleep 0.05
done
sleep "${KILL_DELAY:-1}"
kill -9 -- "-$pid" # the whole process group: the wrapper and the JVM
wait "$pid" 2>/dev/null || true
[ -z "$(ls "$work/b/models" 2>/dev/null)" ] || { echo "B finished before the kill; lower KILL_DELAY" >&2; exit 1; }
./orcaw info "$work"/b/checkpoints/*.safetensors | head -1

echo "== B: resumed"
./orcaw run --resume "$work/b" >"$work/b-resume.log"

python3 - "$work/a" "$work/b" <<'PY'
import json, struct, sys, pathlib
a, b = map(pathlib.Path, sys.argv[1:])
def runs(d): return json.loads((d / "metrics.json").read_text())["runs"]
def tensors(f):
    raw = f.read_bytes(); n = struct.unpack("<Q", raw[:8])[0]; head = json.loads(raw[8:8 + n]); head.pop("__metadata__", None)
    return {k: raw[8 + n + v["data_offsets"][0]: 8 + n + v["data_offsets"][1]] for k, v in head.items()}
ok = True
for ra, rb in zip(runs(a), runs(b), strict=True):
    same = ra["test"] == rb["test"] and [e["train_loss"] for e in ra["refine"]["epochs"]] == [e["train_loss"] for e in rb["refine"]["epochs"]]
    print(f"{ra['method']} seed {ra['seed']}: test A {ra['test']}\n{'':>{len(ra['method'])}}         B {rb['test']} -> {'identical' if same else 'DIFFERENT'}")
    ok &= same
for f in sorted((a / "models").glob("*.safetensors")):
    ta, tb = tensors(f), tensors(b / "models" / f.name)
    same = ta == tb
    print(f"{f.name}: {len(ta)} tensors {'bit-identical' if same else 'DIFFERENT'}")
    ok &= same
sys.exit(0 if ok else 1)
PY
echo "resume check passed ($work)"
