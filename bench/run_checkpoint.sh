#!/usr/bin/env bash
# Checkpoint save/load speed of a BERT-base-sized checkpoint (~1.3 GB with AdamW state) against
# dd writing the same size with fsync into the same folder, in the same run; prints the ratio
# and the save's peak memory.
# Usage: bench/run_checkpoint.sh [BUILD_DIR] [DIR] [REPEATS] [LAYERS]
#   DIR: where the files go (default BUILD_DIR/bench-checkpoint; needs ~2.7 GB free, and it
#   should be the file system your runs_dir is on). LAYERS=12 is BERT-base.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DIR=${2:-$BUILD_DIR/bench-checkpoint}
mkdir -p "$DIR"
out=$("$BUILD_DIR/bench/bench_checkpoint" "$DIR" "${3:-2}" "${4:-12}")
echo "$out"
r=$(sed -nE 's/.*median_ratio_save_dd=([0-9.]+).*/\1/p' <<<"$out")
awk -v r="$r" 'BEGIN { printf "save speed / dd speed = %.0f %% (median of rounds; target: at least 70 %%)\n", 100 * r }'
