#!/usr/bin/env bash
# README command 1: installs, builds, creates the demo model, then opens the GUI with the demo
# experiment and starts training. Without a display it runs the same experiment headless and
# prints where the checkpoint and metrics went.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
./scripts/build.sh --target tunebench-cli tunebench
./scripts/setup_demo.sh
BUILD_DIR=${TUNEBENCH_BUILD_DIR:-build}
EXPERIMENT=resources/demo/demo_experiment.yaml
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$BUILD_DIR/app/tunebench" ]; then
  exec "$BUILD_DIR/app/tunebench" "$EXPERIMENT" --start
fi
echo "No display found: running the demo headless."
exec "$BUILD_DIR/app/tunebench-cli" train "$EXPERIMENT"
