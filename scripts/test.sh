#!/usr/bin/env bash
# README command 2: installs what is missing, builds everything and runs the whole suite (CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
./scripts/build.sh
BUILD_DIR=${TUNEBENCH_BUILD_DIR:-build}
export QT_QPA_PLATFORM=offscreen
# Tests labelled "long" (e.g. 60 kill -9 rounds of checkpoint saves) are left out here; run
# them with: ctest --test-dir build -L long
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 900 -LE long
