#!/bin/bash
# effscale's GPU figures, in one prepared run. On the GPU machine, after
#   source .gpu/p2/setup.sh && cd /root/app
# run: bash scripts/gpu/measure.sh OUTDIR
# Each sweep writes OUTDIR/<name>/{results.jsonl,results.csv,run.json}.
set -u
OUT=${1:?usage: measure.sh OUTDIR}
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv > "$OUT/gpu.txt" 2>&1
MODELS=efficientnet-b0,efficientnet-b3,efficientnet-b7
# The best model options: fp16 weights, uint8 NHWC input normalised in the graph, static shapes.
node bin/run.js sweep --ep cuda --models $MODELS --batch 1,64 --dtype fp16 --input uint8-nhwc --out "$OUT/h200-fp16-uint8"
# The same with ORT profiling: end-to-end vs ORT's own run time.
node bin/run.js sweep --ep cuda --models $MODELS --batch 64 --dtype fp16 --input uint8-nhwc --profile --out "$OUT/h200-fp16-uint8-profile"
# Plain fp32 float input, as PyTorch eager fp32 is fed.
node bin/run.js sweep --ep cuda --models $MODELS --batch 1,64 --out "$OUT/h200-fp32"
# The embedded GPU default: Figure 3 grids of B0 + B0–B7 at batch 1 and 64.
timeout 330 node bin/run.js sweep --ep cuda --runs 20 --min-time-ms 300 --out "$OUT/h200-default"
echo "exit $?"
