#!/usr/bin/env bash
# The main job on the embedded default data, from a fresh Debian 12 machine:
# install dependencies, build, then run the calorimeter chain in ./bolo-work
# (or $BOLO_WORKDIR) and print where everything is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/install-deps.sh build
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target bolo

bolo="$root/build/release/apps/bolo/bolo"
work=${BOLO_WORKDIR:-$root/bolo-work}
export BOLO_WORKDIR=$work
start=$(date +%s)

"$bolo" init
for particle in pions photons; do
  "$bolo" simulate "$particle"
  "$bolo" inspect "$work/data/${particle}_reference.h5" --particle "$particle"
done

echo
echo "== Bolo demo finished in $(( $(date +%s) - start )) s =="
echo "work directory:  $work"
echo "configs:         $work/configs/"
echo "reference data:  $work/data/pions_reference.h5, $work/data/photons_reference.h5"
