#!/usr/bin/env bash
# Runs the C++ and the PyTorch (Python) training step on the same machine, in the same run,
# alternating ROUNDS times (default 3), and prints the ratios. On a shared machine other work only
# slows steps down, so the headline is the ratio of the fastest steps seen (min over rounds of each
# program's fastest step); the median over rounds of the mean-step ratio is printed beside it.
# Usage: [ROUNDS=N] bench/run_train_step.sh [BUILD_DIR] [hidden layers batch seq steps]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}; shift || true
ROUNDS=${ROUNDS:-3}
field() { sed -E "s/.*$1=([0-9.]+).*/\\1/" <<<"$2"; }
cpp_min=inf; py_min=inf; ratios=()
for ((r = 1; r <= ROUNDS; r++)); do
  cpp=$("$BUILD_DIR/bench/bench_train_step" "$@")
  py=$(/usr/bin/python3 bench/reference/train_step.py "$@")
  echo "round $r: $cpp"; echo "round $r: $py"
  cpp_min=$(awk -v a="$cpp_min" -v b="$(field min_ms "$cpp")" 'BEGIN { print (a == "inf" || b < a) ? b : a }')
  py_min=$(awk -v a="$py_min" -v b="$(field min_ms "$py")" 'BEGIN { print (a == "inf" || b < a) ? b : a }')
  ratios+=("$(awk -v c="$(field ms_per_step "$cpp")" -v p="$(field ms_per_step "$py")" 'BEGIN { print p / c }')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
awk -v c="$cpp_min" -v p="$py_min" -v m="$median" -v n="$ROUNDS" 'BEGIN {
  printf "fastest step: tunebench %.1f ms, PyTorch Python %.1f ms\n", c, p
  printf "ratio python/cpp = %.2f on the fastest steps, %.2f median of %d rounds of mean steps (above 1: tunebench faster)\n", p / c, m, n }'
