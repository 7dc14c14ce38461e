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

# A short pions training (600 iterations of the default `bolo` recipe: enough for the
# response to follow the reference; a full training runs ~1M iterations on a GPU), then the
# best-iteration selection over its checkpoints.
"$bolo" train pions --run demo --iterations "${BOLO_DEMO_ITERATIONS:-600}" --checkpoint-every 100
"$bolo" bestiter pions --run demo --showers 2000 --json >"$work/output/demo/bestiter-summary.json"
best_chi2=$(grep -o '"chi2_ndf": *[-0-9.eE+]*' "$work/output/demo/bestiter-summary.json" | head -n 1 |
  sed 's/.*: *//')

echo
echo "== Bolo demo finished in $(( $(date +%s) - start )) s =="
echo "work directory:  $work"
echo "configs:         $work/configs/"
echo "reference data:  $work/data/pions_reference.h5, $work/data/photons_reference.h5"
echo "training:        $work/checkpoints/demo/  (checkpoints), $work/output/demo/ (metrics, config, manifest)"
echo "loss curves:     $(ls "$work"/output/demo/*/loss.png 2>/dev/null | tr '\n' ' ')"
echo "best iteration:  $work/output/demo/bestiter/ (bestiter.json, .csv, chi2 plot with the best in red)"
echo "response plot:   $work/output/demo/bestiter/response.png (mean and rms of E_tot/E_inc per energy, GAN vs reference)"
echo "best chi2/NDF:   ${best_chi2:-n/a} (pions, short demo training; published FastCaloGAN ~2)"
