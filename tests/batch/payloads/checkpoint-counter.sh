#!/bin/bash
# A payload that behaves like a bolo training run, for the batch tests: it counts to TARGET,
# saving its progress to STATE after every step; on SIGTERM or SIGUSR1 it saves and exits 75
# (safe to requeue); started again it resumes from STATE. When done it appends one line to
# RESULT, so a result written twice would show. Every start is logged to STATE.starts.
# Usage: checkpoint-counter.sh STATE RESULT TARGET [STEP_SECONDS] [FAIL_FLAG]
# If FAIL_FLAG names an existing file, the run removes it and exits 1 (a task that dies once).
set -u
state=$1 result=$2 target=$3 step=${4:-0.2} fail_flag=${5:-}
count=0
if [ -f "$state" ]; then count=$(cat "$state"); fi
echo "start $count" >>"$state.starts"
if [ -n "$fail_flag" ] && [ -f "$fail_flag" ]; then
  rm -f "$fail_flag"
  echo "dying on purpose" >&2
  exit 1
fi
stop=0
trap 'stop=1' TERM USR1
while [ "$count" -lt "$target" ]; do
  sleep "$step" &
  wait $! || kill $! 2>/dev/null
  if [ "$stop" -eq 1 ]; then
    echo "stopped at $count: state saved" >&2
    exit 75
  fi
  count=$((count + 1))
  printf '%s\n' "$count" >"$state.tmp" && mv -f "$state.tmp" "$state"
done
echo "done $count" >>"$result"
