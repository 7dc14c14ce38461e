#!/usr/bin/env bash
# Install what the tests need, build with warnings as errors, run the whole suite with CTest,
# then fuzz each parser briefly (scripts/fuzz.sh; BOLO_FUZZ_SECONDS per target, default 5,
# 0 skips it).
# Usage: scripts/test.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh test
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)" --timeout 900 "$@"
fuzz_seconds=${BOLO_FUZZ_SECONDS:-5}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash scripts/fuzz.sh "$fuzz_seconds"
fi
