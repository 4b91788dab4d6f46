#!/usr/bin/env bash
# A single-node SLURM on this machine, for trying `recl ... --cluster slurm` and for tests/test_slurm.py.
#
#   scripts/slurm.sh up DIR     start munged, slurmctld and slurmd with everything (config, keys, state, logs, PIDs) under DIR
#   scripts/slurm.sh down DIR   cancel the jobs, then stop slurmd, slurmctld and munged by their PIDs
#   export SLURM_CONF=DIR/slurm.conf   so that sbatch/squeue/scancel (and dask-jobqueue) use it
#
# Needs root and Debian's packages: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge
# DIR and every folder above it must be world-executable (munged refuses a socket path that is not).
# Runs without systemd and cgroups (linuxproc process tracking, no task plugin, no accounting). The ports are picked
# free at start-up, so several such clusters can run side by side.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[[ ( $cmd == up || $cmd == down ) && -n $dir ]] || { echo "usage: $0 up|down DIR" >&2; exit 2; }
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
stop_pid() {   # stop_pid FILE: TERM the process whose PID is in FILE, KILL it after 10 s
  [[ -f $1 ]] || return 0
  local pid; pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

if [[ $cmd == down ]]; then
  export SLURM_CONF=$dir/slurm.conf
  if [[ -f $dir/pids/slurmctld ]] && kill -0 "$(cat "$dir/pids/slurmctld")" 2>/dev/null; then
    scancel --partition=debug 2>/dev/null || true
    for _ in $(seq 50); do [[ -z $(squeue -h 2>/dev/null) ]] && break; sleep 0.2; done
  fi
  stop_pid "$dir/pids/slurmd"; stop_pid "$dir/pids/slurmctld"; stop_pid "$dir/pids/munged"
  echo "slurm under $dir stopped"
  exit 0
fi

[[ $(id -u) == 0 ]] || { echo "$0: needs root (slurmd and munged run as root/munge)" >&2; exit 1; }
for b in munged slurmctld slurmd sbatch scontrol; do
  command -v $b >/dev/null || { echo "$0: $b not found; apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge" >&2; exit 1; }
done
chmod 0755 "$dir"
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/pids" "$dir/logs"
chmod 0777 "$dir/logs"

# munge: its own key and socket under DIR, run as the munge user
chown munge:munge "$dir/munge"; chmod 0755 "$dir/munge"
[[ -f $dir/munge/munge.key ]] || { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; }
chown munge:munge "$dir/munge/munge.key"; chmod 0600 "$dir/munge/munge.key"
runuser -u munge -- munged --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
  --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed"
for _ in $(seq 50); do [[ -s $dir/munge/munged.pid ]] && break; sleep 0.1; done
cp "$dir/munge/munged.pid" "$dir/pids/munged"

host=$(hostname -s)
cpus=$(nproc); (( cpus < 4 )) && cpus=4   # advertise at least 4 CPUs (config_overrides) so a test's jobs fit at once
mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
cat > "$dir/slurm.conf" <<EOF
ClusterName=recl
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$dir/slurm.conf
slurmctld -D -c -f "$SLURM_CONF" >"$dir/logs/slurmctld.out" 2>&1 & echo $! > "$dir/pids/slurmctld"
slurmd -D -N "$host" -f "$SLURM_CONF" >"$dir/logs/slurmd.out" 2>&1 & echo $! > "$dir/pids/slurmd"
for _ in $(seq 150); do
  if scontrol ping 2>/dev/null | grep -q UP && [[ $(sinfo -h -o %T 2>/dev/null) == idle ]]; then
    echo "slurm up: SLURM_CONF=$SLURM_CONF, node $host, $cpus CPUs, partition debug"; exit 0
  fi
  sleep 0.2
done
echo "$0: slurm did not come up within 30 s; logs under $dir" >&2
"$0" down "$dir" >/dev/null 2>&1 || true
exit 1
