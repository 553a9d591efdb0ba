#!/usr/bin/env bash
# Peak RSS and time to the first training step on a large generated CSV: the streamed text path
# (dataset.stream_threshold_mb: 0) against the in-memory path (the threshold above the file
# size), same experiment, in the same run. The in-memory path needs several bytes of memory per
# byte of text, so it can be measured on a smaller file (MEMORY_MB) and extrapolated.
# The model is the bundled demo BERT (2 layers, hidden 128), 5 steps of batch 32, max_length 64;
# 99.8 % of the rows train, 0.1 % each go to dev and test (the test split is evaluated after the
# last step; evaluation batches grow in width, which raises the peak by a few hundred MiB on both
# paths, so the peak until the first step is printed too).
# Usage: bench/run_train_stream.sh [BUILD_DIR] [DIR] [SIZE_MB] [MEMORY_MB]
#   SIZE_MB   size of the CSV the streamed path trains on (default 1024)
#   MEMORY_MB size of the CSV the in-memory path trains on (default: SIZE_MB; 0 = skip it)
# Files (bench_import's generator: id,text,label rows of 8-31 English/Chinese words) are kept in
# DIR (default /tmp/tunebench_train_stream) and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DIR=${2:-/tmp/tunebench_train_stream}
SIZE_MB=${3:-1024}
MEMORY_MB=${4:-$SIZE_MB}
CLI="$BUILD_DIR/app/tunebench-cli"
MODEL="$PWD/resources/demo/pretrained_model"
mkdir -p "$DIR"

csv_of() {  # generated once per size
  local file="$DIR/train_$1mb.csv"
  if [[ ! -f "$file" ]]; then
    mkdir -p "$DIR/gen_$1"
    "$BUILD_DIR/bench/bench_import" --dir "$DIR/gen_$1" --size-mb "$1" --keep >/dev/null
    mv "$DIR/gen_$1/tunebench_bench_import.csv" "$file"
    rmdir "$DIR/gen_$1" 2>/dev/null || true
  fi
  echo "$file"
}

# run LABEL CSV THRESHOLD_MB: prints peak RSS, time to first step and total time.
run() {
  local label=$1 csv=$2 threshold=$3
  local yaml="$DIR/$label.yaml" log="$DIR/$label.log" rss="$DIR/$label.rss"
  cat >"$yaml" <<EOF
name: train-stream-$label
dataset:
  path: $csv
  format: csv
  text_column: text
  label_column: label
  train_fraction: 0.998
  dev_fraction: 0.001
  test_fraction: 0.001
  stream_threshold_mb: $threshold
model:
  path: $MODEL
  max_length: 64
training:
  max_steps: 5
  batch_size: 32
  eval_batch_size: 256
  learning_rate: 0.001
  seed: 42
  device: cpu
output:
  runs_dir: $DIR/runs
  keep_last_checkpoints: 1
EOF
  local start first="" hwm
  start=$(date +%s.%N)
  # Each output line is stamped on arrival; at the first "step 1/" line the process's peak RSS
  # so far (VmHWM) is recorded: the data preparation's peak, before evaluation adds its own.
  rm -f "$DIR/$label.hwm"
  /usr/bin/time -f "%M %e" -o "$rss" "$CLI" train "$yaml" 2>&1 | while IFS= read -r line; do
    printf '%8.1f  %s\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$line"
    if [[ ! -f "$DIR/$label.hwm" && "$line" == *" step 1/"* ]]; then
      awk '/VmHWM/ { print $2 }' "/proc/$(pgrep -n -f "tunebench-cli train $yaml")/status" \
        >"$DIR/$label.hwm" || true
    fi
  done >"$log"
  first=$(grep -m1 -E ' step 1/' "$log" | awk '{ print $1 }')
  hwm=$(cat "$DIR/$label.hwm" 2>/dev/null || echo 0)
  if grep -q "exited with non-zero" "$rss"; then echo "$label run failed, see $log" >&2; tail -5 "$log" >&2; exit 1; fi
  read -r kb seconds <"$rss"
  local mb
  mb=$(stat -c %s "$csv" | awk '{ printf "%.0f", $1 / 1048576 }')
  awk -v l="$label" -v mb="$mb" -v kb="$kb" -v h="$hwm" -v f="${first:-nan}" -v t="$seconds" 'BEGIN {
    printf "%-9s file %5d MiB: peak RSS %6.0f MiB (%.2f x file), %6.0f MiB until the first step; first step after %5.1f s, total %5.1f s\n",
      l, mb, kb / 1024, kb / 1024 / mb, h / 1024, f, t }'
  grep -E 'streaming the training file|examples reach max_length' "$log" | sed 's/^/    /' || true
}

run streamed "$(csv_of "$SIZE_MB")" 0
if [[ "$MEMORY_MB" != 0 ]]; then
  run in_memory "$(csv_of "$MEMORY_MB")" 1000000
  if [[ "$MEMORY_MB" != "$SIZE_MB" ]]; then
    run streamed "$(csv_of "$MEMORY_MB")" 0  # same file as the in-memory run, for the ratio
  fi
fi
