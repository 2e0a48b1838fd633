#!/usr/bin/env bash
# Starts throwaway ssrad servers on loopback, gives the first-start admin
# the assessor and caseworker roles and a reviewer colleague, runs loadgen
# against them with the flags given, and stops them.
#
#   examples/loadgen/run.sh -duration 30s -clients 16 -factors 30
#       one ssrad on a fresh SQLite file in a temporary directory
#   SSRA_LOADGEN_DB='postgres://user@host/empty_db' SSRA_LOADGEN_SERVERS=2 examples/loadgen/run.sh -duration 30s
#       two ssrad sharing one PostgreSQL database, which must be empty; each
#       client keeps to one server (add -spread request to send each request
#       to the next server in turn, as a balancer in front of them would)
#   examples/loadgen/run.sh -mode size -sizes 10,100,1000 -duration 30s
#       the cost of an evaluation by assessment size
#   examples/loadgen/run.sh -duration 30m -clients 32
#       the soak (not in CI)
#   SSRA_LOADGEN_DB='postgres://user@host/empty_db' examples/loadgen/run.sh -mode write -duration 30s -clients 16
#       writes only; on PostgreSQL it then runs pgbench (TPC-B-like, scale 10, the same
#       clients and duration, in the same database) and prints the ratio
#
# SSRA_LOADGEN_LOG_KEY=1 makes a signing key for the audit log's checkpoints.
# SSRA_LOADGEN_BIN=DIR (an absolute path) runs the ssrad and loadgen built
# beforehand in DIR instead of building them from this tree, so that one
# series can alternate two builds (the code before a change and after it).
# SSRA_LOADGEN_PGBENCH=0 leaves pgbench out of a write-only run on PostgreSQL.
# SSRA_LOADGEN_TAGS=ssra_nofacts builds ssrad without the casework facts:
# the baseline for what the facts cost a write (a measurement build only).
# SSRA_LOADGEN_SERVER_CPU=0.5 runs each server in a control group of its own
# with that many cores' time (a CPU quota, as a container or a virtual
# machine would give it; needs root and a writable cgroup file system), so
# that one server and two can be compared as if each had cores of its own.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for g in "${groups[@]}"; do rmdir "$g" 2>/dev/null || true; done
  rm -rf "$tmp"
}
groups=()
trap cleanup EXIT
if [ -n "${SSRA_LOADGEN_BIN:-}" ]; then
  cp "$SSRA_LOADGEN_BIN/ssrad" "$SSRA_LOADGEN_BIN/loadgen" "$tmp/"
else
  go build -tags "${SSRA_LOADGEN_TAGS:-}" -o "$tmp/ssrad" ./cmd/ssrad
  go build -o "$tmp/loadgen" ./examples/loadgen
fi
export SSRA_DATABASE_URL=${SSRA_LOADGEN_DB:-$tmp/ssra.db}
servers=${SSRA_LOADGEN_SERVERS:-1}

# start N: runs the Nth server and sets addr once it listens. It runs in
# this shell (not in a command substitution), so that pids holds every
# server for cleanup.
if [ "${SSRA_LOADGEN_LOG_KEY:-}" = 1 ]; then
  "$tmp/ssrad" logkey generate -origin loadgen.invalid/audit -out "$tmp/log.key" >/dev/null
  export SSRA_LOG_KEY=$tmp/log.key
fi
# cpugroup N: makes server N's control group with SSRA_LOADGEN_SERVER_CPU
# cores of quota a 100 ms period, and prints its cgroup.procs file.
cpugroup() {
  local quota g
  quota=$(awk -v c="$SSRA_LOADGEN_SERVER_CPU" 'BEGIN { if (c + 0 <= 0) exit 1; printf "%d", c * 100000 }') || {
    echo "SSRA_LOADGEN_SERVER_CPU=$SSRA_LOADGEN_SERVER_CPU: want a number of cores above 0, such as 0.5" >&2
    return 1
  }
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    g=/sys/fs/cgroup/ssra-loadgen-$$-$1
    mkdir "$g" && echo "$quota 100000" >"$g/cpu.max"
  else
    g=/sys/fs/cgroup/cpu/ssra-loadgen-$$-$1
    mkdir "$g" && echo 100000 >"$g/cpu.cfs_period_us" && echo "$quota" >"$g/cpu.cfs_quota_us"
  fi || {
    rmdir "$g" 2>/dev/null
    echo "SSRA_LOADGEN_SERVER_CPU: cannot make the control group $g (root and a writable cgroup file system are needed)" >&2
    return 1
  }
  echo "$g/cgroup.procs"
}
start() {
  if [ -n "${SSRA_LOADGEN_SERVER_CPU:-}" ]; then
    local procs
    procs=$(cpugroup "$1") || exit 1
    groups+=("$(dirname "$procs")")
    # The server enters its group before it starts, as in a container:
    # its runtime reads the quota at start (GOMAXPROCS, at least 2).
    bash -c 'echo $$ >"$1" && exec "$2" -addr 127.0.0.1:0' _ "$procs" "$tmp/ssrad" >"$tmp/out$1" 2>"$tmp/log$1" &
  else
    "$tmp/ssrad" -addr 127.0.0.1:0 >"$tmp/out$1" 2>"$tmp/log$1" &
  fi
  pids+=($!)
  addr=
  for _ in $(seq 300); do
    addr=$(grep -m1 '"msg":"listening"' "$tmp/log$1" 2>/dev/null | sed 's/.*"addr":"\([^"]*\)".*/\1/' || true)
    if [ -n "$addr" ]; then return; fi
    sleep 0.1
  done
  cat "$tmp/log$1" >&2
  echo "ssrad $1 did not start" >&2
  exit 1
}
start 1
urls="http://$addr"
key=$(sed -n 's/^key: //p' "$tmp/out1")
if [ -z "$key" ]; then
  echo "the database was not empty: ssrad created no first key" >&2
  exit 1
fi
read -r user org < <("$tmp/ssrad" users list | awk '$3 == "admin" {print $1, $2; exit}')
"$tmp/ssrad" users roles -id "$user" -roles admin,assessor,caseworker >/dev/null
reviewer=$("$tmp/ssrad" users create -org "$org" -name reviewer -roles reviewer)
rkey=$("$tmp/ssrad" keys create -user "$reviewer" -name loadgen | sed -n 's/^key: //p')
for i in $(seq 2 "$servers"); do
  start "$i"
  urls="$urls,http://$addr"
done
echo "ssrad: $servers server(s)${SSRA_LOADGEN_SERVER_CPU:+ of $SSRA_LOADGEN_SERVER_CPU cores each} on $(case $SSRA_DATABASE_URL in postgres*) echo PostgreSQL;; *) echo SQLite;; esac)"
"$tmp/loadgen" -url "$urls" -key "$key" -reviewer-key "$rkey" "$@" | tee "$tmp/loadgen.out"

# Write-only on PostgreSQL: pgbench's TPC-B-like transactions with the same
# clients for the same time on the same cluster, and the ratio.
mode=mixed clients=16 duration=30s
while [ $# -gt 0 ]; do
  case $1 in
    -mode) mode=$2; shift ;;
    -clients) clients=$2; shift ;;
    -duration) duration=$2; shift ;;
  esac
  shift
done
case $SSRA_DATABASE_URL in
  postgres*)
    if [ "$mode" = write ] && [ "${SSRA_LOADGEN_PGBENCH:-1}" != 0 ]; then
      secs=${duration%s}
      case $duration in *m) secs=$((${duration%m} * 60)) ;; esac
      pgbench -i -s 10 -q "$SSRA_DATABASE_URL" >/dev/null 2>&1
      tps=$(pgbench -c "$clients" -j 2 -T "$secs" -n "$SSRA_DATABASE_URL" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\) (without.*/\1/p')
      writes=$(sed -n 's/^write-only: \([0-9.]*\) writes.*/\1/p' "$tmp/loadgen.out")
      echo "pgbench (TPC-B-like, scale 10, $clients clients, ${secs}s): $tps transactions/s"
      awk -v w="$writes" -v t="$tps" 'BEGIN { printf "ssrad writes/s ÷ pgbench transactions/s = %.2f\n", w / t }'
    fi ;;
esac
