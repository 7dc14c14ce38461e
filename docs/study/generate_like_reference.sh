#!/usr/bin/env bash
# Generate showers with the energy mix of a random 10,000 of the default reference (pions and
# photons alike: 10,000 showers at each of the first 11 points, then 5,000, 3,000, 2,000,
# 1,000), so that docs/study/classifier_groups.py and `bolo evaluate` compare like with like:
# with another mix the incident energy alone would tell the files apart.
# Usage: generate_like_reference.sh PARTICLE WORKDIR OUT.h5 [bolo generate options: --run R,
#        --checkpoint C (photons: one per GAN)]   (bolo on PATH)
set -euo pipefail
particle=$1 workdir=$2 out=$3
shift 3
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
counts=(826 826 826 826 826 826 826 826 826 826 826 413 248 165 83)
for i in "${!counts[@]}"; do
  bolo generate "$particle" --workdir "$workdir" "$@" --energies $((256 << i)) \
    -n "${counts[$i]}" --seed $((100 + i)) --out "$parts/e$i.h5" > /dev/null
done
/usr/bin/python3 - "$parts" "$out" <<'PY'
import sys, h5py, numpy as np
parts, out = sys.argv[1:3]
files = [h5py.File(f'{parts}/e{i}.h5') for i in range(15)]
with h5py.File(out, 'w') as f:
    f['showers'] = np.concatenate([g['showers'][:] for g in files])
    f['incident_energies'] = np.concatenate([g['incident_energies'][:] for g in files])
PY
