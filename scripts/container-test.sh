#!/usr/bin/env bash
# Build the Docker image for real and run its runscript verbs, valid and invalid ones.
# No registry is reachable from CI, so the Debian base image is made locally with
# debootstrap (docs/containers.md). A Docker engine is started for the run if none answers,
# and only that engine is stopped at the end.
# Usage: scripts/container-test.sh    (BOLO_SKIP_CONTAINER_TEST=1 skips: exit 77)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${BOLO_SKIP_CONTAINER_TEST:-}" ]; then echo "container test skipped"; exit 77; fi
state=${BOLO_CONTAINER_STATE:-/var/tmp/bolo-container-test}
image=bolo:test
mkdir -p "$state"
bash "$root/scripts/install-deps.sh" all

started_pid=""
cleanup() {
  if [ -n "$started_pid" ]; then
    kill "$started_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$started_pid" 2>/dev/null || break; sleep 0.2; done
  fi
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  export DOCKER_HOST="unix://$state/docker.sock"
  if ! docker info >/dev/null 2>&1; then
    dockerd --bridge=none --iptables=false --data-root "$state/docker" --exec-root "$state/exec" \
      --pidfile "$state/dockerd.pid" -H "$DOCKER_HOST" >"$state/dockerd.log" 2>&1 &
    started_pid=$!
    for _ in $(seq 120); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { echo "dockerd did not start; see $state/dockerd.log" >&2; tail -5 "$state/dockerd.log" >&2; exit 1; }
  fi
fi

if ! docker image inspect bolo-base:bookworm >/dev/null 2>&1; then
  mirror=$(grep -h -m1 -E '^(URIs:|deb )' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null \
    | grep -o 'http[^ ]*debian' | head -1 || true)
  rm -rf "$state/rootfs"
  debootstrap --variant=minbase bookworm "$state/rootfs" "${mirror:-http://deb.debian.org/debian}" >"$state/debootstrap.log" 2>&1 \
    || { tail -20 "$state/debootstrap.log" >&2; exit 1; }
  tar -C "$state/rootfs" -c . | docker import - bolo-base:bookworm >/dev/null
  rm -rf "$state/rootfs"
fi

commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
docker build --network host -f "$root/containers/Dockerfile" --build-arg BASE_IMAGE=bolo-base:bookworm \
  --build-arg BOLO_COMMIT="$commit" -t "$image" "$root"

failures=0
expect() {  # expect CODE ARGS... : run the image with ARGS, check the exit code
  local want=$1; shift
  local rc=0
  docker run --rm --network none "$image" "$@" >"$state/out" 2>"$state/err" || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: '$*' exited $rc, expected $want"; sed 's/^/  | /' "$state/err" | tail -5
    failures=$((failures + 1))
  else
    echo "ok:   '$*' -> $rc"
  fi
}
expect 0 help
expect 0 --version
grep -q "$commit" "$state/out" || { echo "FAIL: --version does not name commit $commit"; failures=$((failures + 1)); }
expect 2 frobnicate
grep -q "valid verbs" "$state/err" || { echo "FAIL: invalid verb does not list valid verbs"; failures=$((failures + 1)); }
expect 2 train kaons
grep -q "valid particles" "$state/err" || { echo "FAIL: invalid particle does not list valid particles"; failures=$((failures + 1)); }
expect 2 bestiter
expect 2 simulate
expect 0 init
expect 0 gpu-check
expect 10 gpu-check --require-gpu
expect 0 selftest

label=$(docker image inspect -f '{{ index .Config.Labels "org.opencontainers.image.revision" }}' "$image")
[ "$label" = "$commit" ] || { echo "FAIL: image label revision '$label' != '$commit'"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "container test: all checks passed" || { echo "container test: $failures failure(s)"; exit 1; }
