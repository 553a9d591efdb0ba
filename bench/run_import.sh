#!/usr/bin/env bash
# Import benchmark: generates a CSV (default 1024 MiB) in DIR (default /tmp), indexes and
# validates it with tunebench, then runs the Data page's streaming import (row index + streaming
# summary) alone in a fresh process, so that its peak RSS is its own, and, in the same run, reads
# the file with Python's csv module as a reference. Usage: bench/run_import.sh [BUILD_DIR] [DIR]
# [SIZE_MB]
# Targets (issue 4): index >= 100 MB/s, peak RSS <= 1.5x the file size on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DIR=${2:-/tmp}
SIZE_MB=${3:-1024}
"$BUILD_DIR/bench/bench_import" --dir "$DIR" --size-mb "$SIZE_MB" --keep
file="$DIR/tunebench_bench_import.csv"
echo "--- streaming import (row index + streaming summary) in its own process, default read-ahead"
"$BUILD_DIR/bench/bench_import" --summary-only --file "$file"
echo "--- the same with the next chunk parsed ahead on a second thread, for comparison"
"$BUILD_DIR/bench/bench_import" --summary-only --file "$file" --read-ahead 1
/usr/bin/python3 bench/reference/import_csv.py "$file"
rm -f "$file"
