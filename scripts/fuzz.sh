#!/usr/bin/env bash
# Build the libFuzzer targets of fuzz/ (preset `fuzz`: clang, torch-free modules) if needed and
# run each for SECONDS (default 60), growing a corpus per target under build/fuzz/corpus/.
# A crash stops that target, its input is copied to tests/fuzz-regressions/<Target>/ (commit
# it with the fix: CTest replays that folder in every build) and the script exits 1.
# The figures (executions per target) go to build/fuzz/summary.tsv; docs/reliability.md
# records them.
#
# Usage: scripts/fuzz.sh [seconds] [Target...]     e.g. scripts/fuzz.sh 5 (CI), 600 TrainConfig
#        scripts/fuzz.sh --seeds                   rewrite fuzz/corpus/ from the code's defaults
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/fuzz

mkdir -p build
if [ ! -f "$build/build.ninja" ]; then
  cmake --preset fuzz >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 3; }
fi
if ! nice -n 10 cmake --build "$build" -j "$(nproc)" >"$build.build.log" 2>&1; then
  tail -n 30 "$build.build.log"
  exit 1
fi

if [ "${1:-}" = "--seeds" ]; then
  "$build/fuzz/fuzz_make_seeds" fuzz/corpus
  echo "fuzz: seeds written to fuzz/corpus/"
  exit 0
fi

seconds=${1:-60}
shift || true
case "$seconds" in '' | *[!0-9]*) echo "fuzz.sh: seconds must be a whole number" >&2; exit 2 ;; esac
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for binary in "$build"/fuzz/fuzz_*; do
    name=${binary##*/fuzz_}
    [ "$name" = make_seeds ] || targets+=("$name")
  done
fi

mkdir -p "$build/logs"
# Leaks inside Debian's HDF5 on corrupted files are the library's (fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
summary=$build/summary.tsv
printf 'target\tseconds\texecutions\tcorpus\tresult\n' >"$summary"
failed=0
for target in "${targets[@]}"; do
  binary=$build/fuzz/fuzz_$target
  [ -x "$binary" ] || { echo "fuzz.sh: no target $target" >&2; exit 2; }
  corpus=$build/corpus/$target
  crashes=$build/crashes/$target
  mkdir -p "$corpus" "$crashes"
  log=$build/logs/$target.log
  # -max_len keeps inputs small (deep nesting is a known, separately fixed class; an HDF5
  # file needs a few kilobytes more); -timeout flags a single input slower than 10 s as a hang.
  max_len=4096
  [ "$target" = ShowerFile ] && max_len=16384
  result=ok
  "$binary" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "fuzz/corpus/$target" \
    >"$log" 2>&1 || result=crash
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  size=$(find "$corpus" -type f | wc -l)
  if [ "$result" = crash ]; then
    failed=1
    mkdir -p "tests/fuzz-regressions/$target"
    for input in "$crashes"/*; do
      [ -f "$input" ] && cp "$input" "tests/fuzz-regressions/$target/"
    done
    echo "fuzz: $target FOUND A CRASH (log: $log; input copied to tests/fuzz-regressions/$target/)"
    grep -m 5 -E 'ERROR|runtime error|terminate|abort' "$log" || true
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$target" "$seconds" "${executions:-0}" "$size" "$result" >>"$summary"
  printf 'fuzz: %-18s %8s executions in %ss, corpus %s, %s\n' "$target" "${executions:-0}" \
    "$seconds" "$size" "$result"
done
exit $failed
