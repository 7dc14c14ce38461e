#!/bin/bash
# Stop the cluster started by start-local-slurm.sh DIR: only the daemons it started, by pid
# file, waiting until they are gone so a new cluster can reuse the ports at once.
dir=$(realpath -m "${1:?usage: stop-local-slurm.sh DIR}")
for f in slurmd.pid slurmctld.pid munge/munged.pid; do
  [ -f "$dir/$f" ] || continue
  pid=$(cat "$dir/$f")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$dir/$f"
done
exit 0
