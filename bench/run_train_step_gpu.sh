#!/usr/bin/env bash
# GPU training-step benchmark: tunebench (C++) vs the same model in PyTorch Python and vs
# Hugging Face transformers, on the same GPU in the same run, with MFU.
# Usage: bench/run_train_step_gpu.sh BUILD_DIR [hidden layers batch seq steps precision heads vocab]
# Defaults: BERT-base (768, 12 layers, 12 heads, vocab 30522), batch 32, seq 128, bf16, 30 steps.
# PEAK_TFLOPS (default 989, H100 SXM dense bf16) is the peak used for MFU.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
h=${2:-768} l=${3:-12} b=${4:-32} s=${5:-128} n=${6:-30} prec=${7:-bf16} heads=${8:-12} v=${9:-30522}
PY=${PYTHON:-python3}
args=("$h" "$l" "$b" "$s" "$n" cuda "$prec" "$heads" "$v")
cpp=$(${TB_RUN:-} "$BUILD_DIR/bench/bench_train_step" "${args[@]}")
ref=$("$PY" bench/reference/train_step.py "${args[@]}")
hf=$("$PY" bench/reference/train_step_transformers.py "${args[@]}")
echo "$cpp"; echo "$ref"; echo "$hf"
ms() { grep -o 'ms_per_step=[0-9.]*' <<<"$1" | head -1 | cut -d= -f2; }
# Model FLOPs per step: 6 x (non-embedding matmul parameters) x tokens for the dense layers
# (forward 2, backward 4 multiply-adds), plus attention scores and context: 12 x layers x
# batch x seq^2 x hidden; the classifier and embeddings are negligible.
awk -v c="$(ms "$cpp")" -v r="$(ms "$ref")" -v f="$(ms "$hf")" -v h="$h" -v l="$l" -v b="$b" \
    -v s="$s" -v peak="${PEAK_TFLOPS:-989}" 'BEGIN {
    dense = 12 * h * h * l; tokens = b * s
    flops = 6 * dense * tokens + 12 * l * b * s * s * h
    printf "samples/s: tunebench %.0f, pytorch %.0f, transformers %.0f\n", 1000*b/c, 1000*b/r, 1000*b/f
    printf "MFU (peak %g TFLOP/s): tunebench %.1f%%, pytorch %.1f%%, transformers %.1f%%\n", peak,
        100*flops/(c/1000)/(peak*1e12), 100*flops/(r/1000)/(peak*1e12), 100*flops/(f/1000)/(peak*1e12)
    printf "ratio transformers/tunebench = %.2f, pytorch/tunebench = %.2f (above 1: tunebench faster)\n", f/c, r/c
}'
