#!/usr/bin/env bash
# Creates the demo model folder (random initialisation, not pretrained; see resources/README.md)
# unless it already exists. Needs build/app/tunebench-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TUNEBENCH_BUILD_DIR:-build}
MODEL=resources/demo/model
if [ -f "$MODEL/model.safetensors" ]; then
  echo "demo model: $MODEL (exists)"
  exit 0
fi
rm -rf "$MODEL"
"$BUILD_DIR/app/tunebench-cli" init-model --corpus resources/demo/spam_assassin.csv --text-column text \
  --out "$MODEL" --hidden 128 --layers 2 --heads 4 --intermediate 512 --max-positions 256 \
  --vocab-size 8000 --seed 1
