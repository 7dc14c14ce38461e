#!/bin/bash
# Start a single-node SLURM cluster on localhost, with two fake NVIDIA GPUs, for the batch
# tests and for trying `bolo submit --site ...` with a SLURM site on one machine.
# Adapted from the project's tested recipe (shared/recipes/slurm-local: munged, slurmctld
# and slurmd with private state under DIR; no systemd, no cgroups, no accounting).
# Changes for fast, reliable tests: the node declares 8 CPUs and 16000 MB whatever the
# machine has (SlurmdParameters=config_overrides) so test jobs do not queue behind each
# other; DefMemPerCPU keeps a job without --mem from taking the whole node; time limits are
# enforced at once (OverTimeLimit=0, KillWait=2) and finished jobs stay visible 600 s.
#
# Needs root and the Debian packages slurmctld slurmd slurm-client munge.
# Usage: start-local-slurm.sh DIR     then: export SLURM_CONF=DIR/slurm.conf
# Stop:  stop-local-slurm.sh DIR      (exactly the daemons started here, by pid file)
set -euo pipefail
dir=$(realpath -m "${1:?usage: start-local-slurm.sh DIR}")
for program in munged slurmctld slurmd sinfo; do
  if ! command -v "$program" >/dev/null && [ ! -x "/usr/sbin/$program" ]; then
    echo "start-local-slurm: $program not found: install slurmctld slurmd slurm-client munge" >&2
    exit 3
  fi
done
export PATH="$PATH:/usr/sbin"
if [ "$(id -u)" -ne 0 ]; then
  echo "start-local-slurm: must run as root (the daemons run as root and fake GPUs need mknod)" >&2
  exit 3
fi
# A cluster already running from DIR is stopped first, so the script can be rerun.
"$(dirname "$0")/stop-local-slurm.sh" "$dir"
mkdir -p "$dir"/{state,spool,log,dev,munge}
chmod 700 "$dir/munge"

[ -f "$dir/munge/munge.key" ] || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1k count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
       --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
       --seed-file="$dir/munge/munge.seed" --force

# Two fake NVIDIA GPUs: character devices with the real major number 195.
for i in 0 1; do [ -e "$dir/dev/nvidia$i" ] || mknod -m 666 "$dir/dev/nvidia$i" c 195 "$i"; done

cat >"$dir/slurm.conf" <<CONF
ClusterName=bolotest
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=5
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SlurmdParameters=config_overrides
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,bf_interval=1
DependencyParameters=kill_invalid_depend
GresTypes=gpu
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
MinJobAge=600
OverTimeLimit=0
KillWait=2
DefMemPerCPU=500
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=8 RealMemory=16000 Gres=gpu:2 State=UNKNOWN
PartitionName=cpu Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName=gpu Nodes=localhost MaxTime=INFINITE State=UP
CONF
cat >"$dir/gres.conf" <<CONF
NodeName=localhost Name=gpu File=$dir/dev/nvidia[0-1]
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
    echo "slurm up: export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.2
done
echo "start-local-slurm: slurm did not come up; logs in $dir/log" >&2
exit 1
