#!/usr/bin/env bash
# Configures and builds tunebench into build/ (Ninja, RelWithDebInfo, ccache when present).
# Extra arguments are passed to `cmake --build` (e.g. --target tunebench-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${TUNEBENCH_BUILD_DIR:-build}
GUI=${TUNEBENCH_GUI:-ON}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUNEBENCH_GUI="$GUI" >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)" "$@"
