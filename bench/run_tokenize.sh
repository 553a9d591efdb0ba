#!/usr/bin/env bash
# Tokenization throughput of tunebench (bench_tokenize) and of Hugging Face's tokenizers (npm
# package, bench/reference/tokenize.js) on the same corpus in the same run; prints the ratio
# and checks that both produced identical ids (hash of all ids).
# Usage: bench/run_tokenize.sh [BUILD_DIR] [REPEATS] [MODEL_DIR...]
# Needs node and the npm package: mkdir -p /tmp/tokref && cd /tmp/tokref && npm init -y &&
# npm install tokenizers@0.23.2 (or set NODE_PATH to another node_modules holding it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}; REPEATS=${2:-200}; shift 2 || shift $#
DIRS=("$@")
[ ${#DIRS[@]} -gt 0 ] || DIRS=(tests/fixtures/text tests/fixtures/text/bpe_json)
export NODE_PATH=${NODE_PATH:-/tmp/tokref/node_modules}
ours=$("$BUILD_DIR/bench/bench_tokenize" "$REPEATS" "${DIRS[@]}")
theirs=$(node bench/reference/tokenize.js "$REPEATS" "${DIRS[@]}")
echo "$ours"; echo "$theirs"
status=0
for dir in "${DIRS[@]}"; do
    a=$(grep -F " $dir " <<<"$ours"); b=$(grep -F " $dir " <<<"$theirs")
    field() { sed -E "s/.*$1=([^ ]+).*/\1/" <<<"$2"; }
    ratio=$(awk -v x="$(field tokens_per_s "$a")" -v y="$(field tokens_per_s "$b")" \
        'BEGIN { printf "%.2f", x / y }')
    same=$([ "$(field ids_fnv "$a")" = "$(field ids_fnv "$b")" ] && echo identical || echo DIFFERENT)
    [ "$same" = identical ] || status=1
    echo "$dir: tunebench/hf-tokenizers tokens/s = $ratio (above 1: tunebench faster); ids $same"
done
exit $status
