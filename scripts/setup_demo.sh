#!/usr/bin/env bash
# Makes sure the demo model folder exists. It ships in the repository (resources/demo/pretrained_model: a
# small BERT pretrained with masked-language modelling on the Brown corpus, rebuilt by
# scripts/build_demo_model.sh; see resources/README.md). If it was deleted, a stand-in with
# random weights (NOT pretrained) is created in seconds so the demo still runs; run
# scripts/build_demo_model.sh to get the pretrained one back. Needs build/app/tunebench-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TUNEBENCH_BUILD_DIR:-build}
MODEL=resources/demo/pretrained_model
if [ -f "$MODEL/model.safetensors" ]; then
  echo "demo model: $MODEL (exists)"
  exit 0
fi
rm -rf "$MODEL"
echo "demo model missing: creating a randomly initialised stand-in (NOT pretrained);" \
  "scripts/build_demo_model.sh rebuilds the pretrained one" >&2
"$BUILD_DIR/app/tunebench-cli" init-model --corpus resources/demo/spam_assassin.csv --text-column text \
  --out "$MODEL" --hidden 128 --layers 2 --heads 4 --intermediate 512 --max-positions 256 \
  --vocab-size 8000 --seed 1
