#!/usr/bin/env bash
# The container's runscript: the same verbs as the bolo program, checked before anything runs
# so that a typo in a batch job fails at once with a clear message and a non-zero exit code.
#   init | train pions|photons | bestiter pions|photons | simulate|generate|export pions|photons
#   evaluate | inspect | jets | tagger | scan | submit | status | wait | logs | gpu-check
#   bench | selftest | help
set -uo pipefail

bolo=${BOLO_BIN:-/opt/bolo/bin/bolo}
particle_verbs=" train bestiter simulate generate export "
plain_verbs=" init evaluate inspect jets tagger scan submit status wait logs gpu-check bench "
particles=" pions photons "

usage() {
  cat <<USAGE
Bolo container — train calorimeter GANs and flavour taggers anywhere.

Usage: <container> VERB [ARGS...]
  init                          prepare the work directory (\$BOLO_WORKDIR, default ./bolo-work)
  train pions|photons           train the GAN(s)
  bestiter pions|photons        pick the best checkpoint by chi2/NDF
  simulate|generate pions|photons
  export pions|photons --out DIR the best generators as ONNX models (docs/export.md)
  evaluate, inspect, jets, tagger, scan, submit, status, wait, logs, gpu-check, bench
  selftest                      gpu-check plus a tiny training
  help                          this text
Every verb takes --help. GPU: apptainer run --nv ... / docker run --gpus all ...
USAGE
}

fail() {
  echo "bolo-container: warning: $1" >&2
  echo "bolo-container: valid verbs: init, train, bestiter, simulate, generate, export,${plain_verbs// /, }selftest, help" | sed 's/, ,/,/g' >&2
  exit 2
}

verb=${1:-}
case "$verb" in
  "" | help | -h | --help)
    usage
    [ -n "$verb" ] || exit 2
    exit 0
    ;;
  --version) exec "$bolo" --version ;;
  selftest)
    shift
    exec "$(dirname "$0")/selftest.sh" "$@"
    ;;
esac

if [[ "$particle_verbs" == *" $verb "* ]]; then
  particle=${2:-}
  if [[ "$particle" == -h || "$particle" == --help ]]; then exec "$bolo" "$verb" --help; fi
  if [[ "$particles" != *" $particle "* ]]; then
    echo "bolo-container: warning: '$verb' needs a particle, got '${particle}'; valid particles: pions, photons" >&2
    exit 2
  fi
  exec "$bolo" "$@"
elif [[ "$plain_verbs" == *" $verb "* ]]; then
  exec "$bolo" "$@"
else
  fail "unknown verb '$verb'"
fi
