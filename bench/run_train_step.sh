#!/usr/bin/env bash
# Runs the C++ and the PyTorch (Python) training step on the same machine, in the same run,
# and prints the ratio. Usage: bench/run_train_step.sh [BUILD_DIR] [hidden layers batch seq steps]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}; shift || true
cpp=$("$BUILD_DIR/bench/bench_train_step" "$@")
py=$(/usr/bin/python3 bench/reference/train_step.py "$@")
echo "$cpp"; echo "$py"
c=$(sed -E 's/.*ms_per_step=([0-9.]+).*/\1/' <<<"$cpp"); p=$(sed -E 's/.*ms_per_step=([0-9.]+).*/\1/' <<<"$py")
awk -v c="$c" -v p="$p" 'BEGIN { printf "ratio python/cpp = %.2f (above 1: tunebench faster)\n", p / c }'
