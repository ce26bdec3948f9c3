#!/usr/bin/env bash
# Zero-shot super-resolution (paper Table 16): train ORCA on 1D Burgers at resolution 256 with a k = 1 embedder, then
# evaluate the saved model on the same PDE generated at 512 (sample i depends only on (seed, i), so the test
# initial conditions are the same functions sampled twice as finely). The embedder keeps its k and uses the body's
# next position rows; the dense head folds onto the finer grid. Not run in CI (long: 512 tokens per sample).
set -euo pipefail
cd "$(dirname "$0")/.."
./orcaw run --data pde:burgers:256:300 --patch 1 --methods orca --epochs 5 --out orca-runs/sr-burgers
./orcaw evaluate --model orca-runs/sr-burgers/models/orca-seed0.safetensors --data pde:burgers:256:300
./orcaw evaluate --model orca-runs/sr-burgers/models/orca-seed0.safetensors --data pde:burgers:512:300
