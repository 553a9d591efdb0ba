#!/usr/bin/env bash
# Installs every Debian 12 package tunebench needs to build, test and run. Idempotent: when all
# packages are present it does nothing (no apt-get update). Run as root or with sudo.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopenblas0-pthread libgloo-dev
  libhdf5-dev hdf5-tools libyaml-cpp-dev
  nlohmann-json3-dev libutf8proc-dev libcli11-dev libstb-dev zlib1g-dev dataset-fashion-mnist
  xvfb xauth fonts-dejavu-core
  python3-numpy python3-sklearn python3-h5py python3-torch python3-torchvision
  clang-format
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
