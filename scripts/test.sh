#!/usr/bin/env bash
# Install what the tests need, build with warnings as errors, run the whole suite with CTest.
# Usage: scripts/test.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh test
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)" --timeout 900 "$@"
