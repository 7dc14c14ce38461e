#!/usr/bin/env bash
# The dependency rules of docs/architecture.md, checked on the include lines of the tree:
#   torch only in folders named nn/; common/ includes no subject; a subject (calo, ftag, gpu)
#   includes only common/ and itself; batch/ includes no apps/ and no nn/ folder; fuzz/ (the
#   libFuzzer targets, built without LibTorch) includes no nn/ folder either.
# Usage: scripts/check-layering.sh [source root]   (exit 1 listing every violation)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
status=0
fail() {
  echo "layering: $*" >&2
  status=1
}

# Torch (and its ATen/c10 headers) only under a folder named nn/.
while IFS= read -r hit; do
  file=${hit%%:*}
  case "/$file" in */nn/*) ;; *) fail "$hit: torch outside an nn/ folder" ;; esac
done < <(grep -rnE '#include <(torch|ATen|c10)/' common calo ftag gpu batch apps fuzz || true)

# What each folder may include (quoted project includes, by their first folder).
check() {
  local folder=$1 allowed=$2
  while IFS= read -r hit; do
    local included=${hit#*#include \"}
    included=${included%%\"*}
    local top=${included%%/*}
    [[ " $allowed " == *" $top "* ]] || fail "$hit: $folder may not include $top/"
  done < <(grep -rnE '^#include "' "$folder" || true)
}
check common "common"
check calo "common calo"
check ftag "common ftag"
check gpu "common gpu"
check batch "common calo ftag batch"
# fuzz/ drives the torch-free parsers only (its build has no LibTorch).
check fuzz "common calo ftag batch fuzz"

# batch/ and fuzz/ sit above the subjects' torch-free parts only.
while IFS= read -r hit; do
  fail "$hit: may not include an nn/ folder"
done < <(grep -rnE '^#include "[a-z]+/nn/' batch fuzz || true)

exit $status
