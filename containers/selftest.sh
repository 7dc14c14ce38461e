#!/usr/bin/env bash
# Container self-test (Apptainer %test, `docker run IMAGE selftest`): the GPU site check and
# a tiny end-to-end run on the embedded data. Exits non-zero on the first failure.
# With --require-gpu, a node without a usable GPU fails the test.
set -euo pipefail
bolo=${BOLO_BIN:-/opt/bolo/bin/bolo}
work=$(mktemp -d "${TMPDIR:-/tmp}/bolo-selftest.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$bolo" --version
"$bolo" gpu-check "$@"
"$bolo" init --workdir "$work"
"$bolo" simulate pions --workdir "$work" --events 200 --energies 1024,65536
"$bolo" inspect "$work/data/pions_reference.h5" --particle pions
"$bolo" train pions --workdir "$work" --iterations 20 --checkpoint-every 10 --device auto --no-plots
"$bolo" generate pions --workdir "$work" --energies 1024 -n 100 --out "$work/generated.h5"
"$bolo" inspect "$work/generated.h5" --particle pions
echo "bolo selftest: ok"
