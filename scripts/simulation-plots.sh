#!/bin/sh
# Regenerate the plots of docs/simulation.md: simulate both particles with the reference
# simulator (2,000 showers per dataset-1 energy, fixed seed) and copy the PNGs to docs/img.
# Usage: scripts/simulation-plots.sh [path/to/bolo]   (default build/release/apps/bolo/bolo)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bolo=${1:-$here/build/release/apps/bolo/bolo}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for particle in photons pions; do
  "$bolo" -q simulate "$particle" --events 2000 --seed 1 --out "$work/$particle.h5" --plots "$work/plots"
done
mkdir -p "$here/docs/img"
cp "$work"/plots/sim_*.png "$here/docs/img/"
ls -l "$here"/docs/img/sim_*.png
