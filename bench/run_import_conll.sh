#!/usr/bin/env bash
# Token-file import benchmark: generates a CoNLL NER file (default 300 MB) in DIR (default
# /tmp), then, each in its own process so that each peak RSS is its own: the streaming import
# (sentence index + chunked summary, as `inspect` and the Data page do), the in-memory reader
# for comparison, `tunebench-cli inspect` under /usr/bin/time (its RSS includes LibTorch's
# libraries: the baseline on a tiny file is printed first), and a Python line-by-line reader as
# the reference. Usage: bench/run_import_conll.sh [BUILD_DIR] [DIR] [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
DIR=${2:-/tmp}
SIZE_MB=${3:-300}
file="$DIR/tunebench_bench_import.conll"
/usr/bin/python3 bench/reference/make_conll.py "$file" "$SIZE_MB"
ls -l "$file"
"$BUILD_DIR/bench/bench_import_conll" --file "$file" --mode stream
echo "--- the same with the next chunk parsed ahead on a second thread, for comparison"
"$BUILD_DIR/bench/bench_import_conll" --file "$file" --mode stream --read-ahead
"$BUILD_DIR/bench/bench_import_conll" --file "$file" --mode memory
echo "--- tunebench-cli inspect: baseline (a 4-line file), then the generated file"
/usr/bin/time -f "inspect: %e s, peak RSS %M KiB" "$BUILD_DIR/app/tunebench-cli" inspect \
    tests/fixtures/data/ner/iob1.conll > /dev/null
/usr/bin/time -f "inspect: %e s, peak RSS %M KiB" "$BUILD_DIR/app/tunebench-cli" inspect \
    "$file" > /dev/null || true  # exits 1: the file has invalid transitions on purpose
/usr/bin/python3 bench/reference/read_conll.py "$file"
rm -f "$file"
