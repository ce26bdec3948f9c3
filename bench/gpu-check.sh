#!/usr/bin/env bash
# One prepared check for a machine with an NVIDIA GPU (never run by CI; NOT yet run anywhere: written on a machine
# without a GPU). At most ~8 minutes: builds the jar (PTX included when nvcc is found), runs the CUDA tests (the
# device-resident ones included), then benchmarks GEMM (fp32 / TF32 / bf16 TFLOP/s), a MiniLM-L6 training step
# (batch 32 x 128, CPU vs the model resident on the GPU), RoBERTa-base-shape training steps on the GPU (B16 x S64 and
# B32 x S128, issue 15's target: within 1.0x of PyTorch eager), one whole ORCA stage-2 epoch (class-wise OTDD against
# 5000 source points; CPU vs GPU, target >= 20x) and a debiased Sinkhorn divergence with gradient on 5000 x 5000
# points in 768 dims, next to PyTorch on the same GPU when `python3 -c "import torch"` works (no PyTorch peer for the
# ORCA stage-2 epoch: the official ORCA code is not importable here), and prints one table.
# It is the script a machine with a GPU runs first. Usage: bench/gpu-check.sh [output-dir]
# Needs: JDK 25 (JAVA_HOME or /usr/lib/jvm/*25*), Maven with the dependencies reachable or in ~/.m2, an NVIDIA
# driver; nvcc for the PTX (else the CUDA tests skip with that reason).
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
log="$out/gpu-check.log"
: >"$log"
say() { echo "$@" | tee -a "$log"; }
deadline=$((SECONDS + 470))
left() { echo $((deadline - SECONDS)); }

if [[ -z "${JAVA_HOME:-}" ]]; then
  for j in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do [[ -x "$j/bin/java" ]] && { export JAVA_HOME="$j"; break; }; done
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
say "== GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1 || true)"
say "== java: $("$java" -version 2>&1 | head -1); nvcc: $(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || echo none)"
profile=""
if ! [[ -x /usr/local/cuda/bin/nvcc ]] && command -v nvcc >/dev/null; then profile="-Pcuda-ptx"; fi

say "== build (skip tests)"
if ! timeout $(( $(left) > 200 ? 200 : $(left) )) mvn -B -q -ntp $profile -DskipTests package >>"$log" 2>&1; then
  say "BUILD FAILED (see $log)"; exit 1
fi
ls target/classes/cuda/*.ptx >/dev/null 2>&1 && say "PTX: $(ls target/classes/cuda/*.ptx | wc -l) modules" || say "PTX: none (no nvcc)"

say "== CUDA tests"
timeout $(( $(left) > 150 ? 150 : $(left) )) mvn -B -ntp $profile test -Dtest='Cuda*Test,GemmTest,PtxBuildTest,FfmCublasTest,Bf16Test,DeviceStorageTest,DeviceRunTest' \
  -Dsurefire.failIfNoSpecifiedTests=false >"$out/tests.log" 2>&1
test_rc=$?
grep -E "Tests run:|FAIL|expected|Assumption failed" "$out/tests.log" | tail -20 | tee -a "$log"
tests_line=$(grep -E "^\[(INFO|ERROR|WARNING)\] Tests run:" "$out/tests.log" | tail -1 | sed 's/^\[[A-Z]*\] //')

say "== ORCA-J benchmarks"
# leaves ~2 minutes for the PyTorch peers; a section cut short simply has no RESULT line in the table
timeout $(( $(left) > 150 ? $(left) - 120 : 5 )) "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx48g \
  -cp target/orca.jar:target/test-classes dev.orcaj.backend.cuda.CudaBench all "$out/eps.txt" 2>&1 | tee "$out/orcaj.txt" | tee -a "$log"

torch_ok=0
if python3 -c "import torch; assert torch.cuda.is_available()" >/dev/null 2>&1 && [[ $(left) -gt 30 ]]; then
  torch_ok=1
  say "== PyTorch on the same GPU"
  timeout $(( $(left) - 5 )) python3 - "$out/eps.txt" <<'PY' 2>&1 | tee "$out/torch.txt" | tee -a "$log"
import sys, time, math, torch
dev = "cuda"
def timed(fn, warm=3, reps=10):
    for _ in range(warm): fn()
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(reps): fn()
    torch.cuda.synchronize(); return (time.perf_counter() - t) / reps
n = 8192
a = torch.randn(n, n, device=dev)
for name, dt, tf32 in [("fp32", torch.float32, False), ("tf32", torch.float32, True), ("bf16", torch.bfloat16, False)]:
    torch.backends.cuda.matmul.allow_tf32 = tf32
    x = a.to(dt)
    s = timed(lambda: x @ x)
    print(f"RESULT gemm_{name}_torch {2*n**3/s/1e12:.1f} TFLOP/s")
torch.backends.cuda.matmul.allow_tf32 = False
# MiniLM-L6-sized encoder (6 layers, 384 wide, 12 heads, 1536 FFN, GELU, post-norm), fp32, AdamW, batch 32 x 128
torch.manual_seed(0)
emb = torch.nn.Embedding(30522, 384).to(dev)
enc = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(384, 12, 1536, 0.0, "gelu", batch_first=True), 6).to(dev)
head = torch.nn.Linear(384, 4).to(dev)
params = list(emb.parameters()) + list(enc.parameters()) + list(head.parameters())
opt = torch.optim.AdamW(params, lr=1e-5, weight_decay=0.01)
ids = torch.randint(1000, 21000, (32, 128), device=dev); labels = torch.arange(32, device=dev) % 4
def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.nn.functional.cross_entropy(head(enc(emb(ids)).mean(1)), labels)
    loss.backward(); opt.step()
print(f"RESULT minilm_step_b32s128_torch {timed(step, 2, 5):.3f} s")
# RoBERTa-base shape (12 layers, 768 wide, 12 heads, 3072 FFN, vocab 50265), same step, B16 x S64 and B32 x S128
del emb, enc, head, params, opt
emb = torch.nn.Embedding(50265, 768).to(dev)
enc = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(768, 12, 3072, 0.0, "gelu", batch_first=True), 12).to(dev)
head = torch.nn.Linear(768, 4).to(dev)
opt = torch.optim.AdamW(list(emb.parameters()) + list(enc.parameters()) + list(head.parameters()), lr=1e-5, weight_decay=0.01)
for b, s in [(16, 64), (32, 128)]:
    ids = torch.randint(1000, 21000, (b, s), device=dev); labels = torch.arange(b, device=dev) % 4
    print(f"RESULT roberta_step_b{b}s{s}_torch {timed(step, 2, 5):.3f} s")
# geomloss-style debiased symmetric Sinkhorn (tensorized: materialised 5000 x 5000 costs), same eps schedule
eps_list = [float(l) for l in open(sys.argv[1]) if l.strip()]
g = torch.Generator(device="cpu").manual_seed(2)
x = torch.randn(5000, 768, generator=g).to(dev); y = (torch.randn(5000, 768, generator=g) + 0.1).to(dev)
def sinkhorn():
    yg = y.clone().requires_grad_(True)
    C = lambda p, q: ((p * p).sum(1)[:, None] + (q * q).sum(1)[None, :] - 2 * p @ q.T).clamp_min(0) / 2
    la = torch.full((5000,), -math.log(5000.0), device=dev)
    with torch.no_grad():
        cxy, cyx, cxx, cyy = C(x, y), C(y, x), C(x, x), C(y, y)
        sm = lambda c, h, e: -e * torch.logsumexp(h[None, :] - c / e, 1)
        e = eps_list[0]
        ax, by, ay, bx = sm(cxx, la, e), sm(cyy, la, e), sm(cyx, la, e), sm(cxy, la, e)
        for e in eps_list:
            ax, by, ay, bx = ((ax + sm(cxx, la + ax / e, e)) / 2, (by + sm(cyy, la + by / e, e)) / 2,
                              (ay + sm(cyx, la + bx / e, e)) / 2, (bx + sm(cxy, la + ay / e, e)) / 2)
    sm2 = lambda c, h, e: -e * torch.logsumexp(h[None, :] - c / e, 1)
    ay2 = sm2(C(yg, x), la + bx / e, e); by2 = sm2(C(yg, y), la + by / e, e)
    with torch.no_grad():
        ax2 = sm(cxx, la + ax / e, e); bx2 = sm(cxy, la + ay / e, e)
    val = (la.exp() * (bx2 - ax2)).sum() + (la.exp() * (ay2 - by2)).sum()
    val.backward()
    return val.item()
sinkhorn(); torch.cuda.synchronize(); t = time.perf_counter(); v = sinkhorn(); torch.cuda.synchronize()
print(f"RESULT sinkhorn_5000x5000x768_torch {time.perf_counter() - t:.3f} s ({len(eps_list)} eps, value {v:.6f})")
PY
else
  say "== PyTorch: not available (python3 -c 'import torch' failed or no CUDA torch); ORCA-J numbers only"
fi

say ""
say "================ summary ================"
printf "%-40s %14s %s\n" "measure" "value" "unit" | tee -a "$log"
cat "$out/orcaj.txt" "$out/torch.txt" 2>/dev/null | awk '/^RESULT/ { printf "%-40s %14s %s", $2, $3, $4; for (i = 5; i <= NF; i++) printf " %s", $i; printf "\n" }' | tee -a "$log"
say "tests: ${tests_line:-no surefire summary (see $out/tests.log)} (exit $test_rc)"
say "full log: $log"
if grep -q "^RESULT cuda_unavailable" "$out/orcaj.txt" 2>/dev/null; then
  say "NO USABLE GPU: the CUDA tests skipped and nothing was measured (reason above)"
  exit 3
fi
exit $test_rc
