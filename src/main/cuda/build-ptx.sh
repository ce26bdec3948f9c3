#!/usr/bin/env bash
# Compiles every src/main/cuda/*.cu to PTX for a virtual architecture (the driver JIT-compiles it for the GPU it
# finds, so one jar serves Turing and newer) and writes it to OUT_DIR (default target/classes/cuda), where the
# jar picks it up as classpath resources /cuda/NAME.ptx. Run by the Maven profile `cuda-ptx` when nvcc exists;
# exits 0 with a message when no nvcc is found, so a manual run never breaks a CPU-only build.
# Env: NVCC (compiler), CUDA_ARCH (default compute_75: the oldest virtual arch CUDA 13 still accepts).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../../target/classes/cuda}"
nvcc="${NVCC:-}"
if [[ -z "$nvcc" ]]; then
  for c in "$(command -v nvcc || true)" "${CUDA_HOME:-/nonexistent}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
    if [[ -n "$c" && -x "$c" ]]; then nvcc="$c"; break; fi
  done
fi
if [[ -z "$nvcc" ]]; then
  echo "build-ptx: no nvcc found (PATH, CUDA_HOME, /usr/local/cuda); skipping PTX, the CUDA backend will report it missing"
  exit 0
fi
arch="${CUDA_ARCH:-compute_75}"
mkdir -p "$out"
built=0
for cu in "$here"/*.cu; do
  name="$(basename "$cu" .cu)"
  ptx="$out/$name.ptx"
  # incremental: skip when the PTX is newer than the source, the shared headers and this script
  if [[ -f "$ptx" ]] && [[ -z "$(find "$cu" "$here"/*.cuh "$0" -newer "$ptx" 2>/dev/null)" ]]; then continue; fi
  tmp="$out/.$name.ptx.tmp"
  # -lineinfo keeps source lines for profilers; --use_fast_math is NOT used (expf/erff accuracy is part of the contract)
  "$nvcc" -ptx -arch="$arch" -O3 -lineinfo -I"$here" -o "$tmp" "$cu"
  mv -f "$tmp" "$ptx"
  built=$((built + 1))
done
echo "build-ptx: $built of $(ls "$here"/*.cu | wc -l) kernels compiled -> $out ($arch, $("$nvcc" --version | tail -1))"
