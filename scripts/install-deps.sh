#!/usr/bin/env bash
# The one list of Debian packages Bolo needs. Idempotent: installs only what is missing.
# Used by the README commands, CI and the container recipes.
#
# Usage: scripts/install-deps.sh [build|test|all]
#   build  what compiling and running bolo needs (default)
#   test   build + what the test suite exercises (h5py peer files, SLURM, Chromium, ONNX
#          Runtime from npm for the export tests)
#   all    test + the container build tools (docker.io, debootstrap)
set -euo pipefail

profile=${1:-build}

build_packages=(
  build-essential cmake ninja-build pkg-config git
  libtorch-dev            # LibTorch 1.13 (CPU); the nn/ folders only
  libopenblas0-pthread    # Debian's LibTorch calls libblas.so.3: without this ~50x slower
  libhdf5-dev             # shower files
  nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev libpugixml-dev
  libxgboost-dev xgboost  # BDT baseline (Debian's CMake config needs the xgboost program)
  gnuplot-nox             # plots: PNG, PDF, SVG
  libonnx-dev libprotobuf-dev  # bolo export: ONNX 1.12 graphs and their checker
)
test_packages=(
  libgtest-dev libgmock-dev clang-format
  python3-h5py python3-numpy python3-pandas  # foreign HDF5 writer/reader in I/O tests
  python3-torch                              # the plain-PyTorch peer of the benchmarks
  slurmctld slurmd slurm-client munge        # real local SLURM cluster for batch tests
  chromium                                   # headless browser check of the HTML report
  clang libclang-rt-14-dev                   # libFuzzer targets (scripts/fuzz.sh; Debian 12:
                                             # libclang_rt.fuzzer is in libclang-rt-14-dev)
  nodejs                                     # runs ONNX Runtime (npm) in the export tests
)
container_packages=(docker.io debootstrap)

packages=("${build_packages[@]}")
case "$profile" in
  build) ;;
  test) packages+=("${test_packages[@]}") ;;
  all) packages+=("${test_packages[@]}" "${container_packages[@]}") ;;
  *) echo "install-deps.sh: unknown profile '$profile' (build, test or all)" >&2; exit 2 ;;
esac

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# npm is part of nodesource's nodejs but a package of its own in Debian.
if [ "$profile" != build ] && ! command -v npm >/dev/null 2>&1; then
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm
fi

# ONNX Runtime for the export tests: Debian has none; the npm package carries the CPU
# library for linux x64. --ignore-scripts skips its post-install download of GPU extras (a
# host not every machine reaches); require('onnxruntime-node') works without it. Installed
# into the git-ignored build/ folder, where tests/CMakeLists.txt looks for it.
if [ "$profile" != build ]; then
  ort_dir="$(cd "$(dirname "$0")/.." && pwd)/build/onnxruntime-node"
  if [ -d "$ort_dir/node_modules/onnxruntime-node" ]; then
    echo "install-deps: onnxruntime-node present in $ort_dir"
  else
    echo "install-deps: installing onnxruntime-node into $ort_dir"
    mkdir -p "$ort_dir"
    npm install --prefix "$ort_dir" --ignore-scripts --no-audit --no-fund onnxruntime-node
  fi
fi
