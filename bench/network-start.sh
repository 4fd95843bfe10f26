#!/usr/bin/env bash
# What networking adds to a container's start and removal (docs/benchmarks.md, "Networking"):
# `run --rm busybox true` on the default bridge against `--network none`, through ./jocker's warm
# resident engine, side by side with podman (Debian's, netavark) on its default bridge and with
# --network none; rounds interleaved, medians. The script runs in a network namespace of its own
# (it executes itself again under `unshare --net`): the bridges, veths and rules both engines make
# go away with it, and the host's network is never touched.
#
# usage: sudo bench/network-start.sh [-n RUNS] [-w WARMUP]
#   -n  timed rounds (default 20)     -w  warm-up rounds before them (default 5)
set -euo pipefail

RUNS=20 WARMUP=5
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -w WARMUP" "$@"
bench_need "$0" "containers need namespaces, cgroups and mounts" podman conmon runc unshare
bench_own_network_namespace "$0" "$@"

WORK=$(mktemp -d /tmp/jocker-network-start.XXXXXX)
JROOT=$WORK/jocker
export JOCKER_ENGINE_SOCKET=$WORK/engine/engine.sock
unset JOCKER_NO_ENGINE
PODMAN_HAD_CGROUPS=$(bench_podman_cgroups)
log() { printf '%s\n' "$*" >&2; }
jocker() { "$REPO/jocker" --root "$JROOT" "$@"; }
podman_() { bench_podman "$WORK" "$@"; }
PODMAN_RUN=(run --rm --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

cleanup() {
  local rc=$? id
  trap - EXIT INT TERM
  set +e
  for id in $(jocker ps -aq --no-trunc 2>/dev/null); do jocker rm -f "$id" >/dev/null 2>&1; done
  "$REPO/jocker" engine stop >/dev/null 2>&1
  bench_remove_podman "$WORK" "$PODMAN_HAD_CGROUPS"
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

log "preparing busybox for jocker and podman in $WORK..."
JOCKER_NO_ENGINE=1 jocker create --network none busybox >/dev/null
JOCKER_NO_ENGINE=1 jocker save -o "$WORK/busybox.tar" busybox
podman_ load -q -i "$WORK/busybox.tar" >/dev/null
jocker run --rm busybox true >/dev/null # starts the resident engine

declare -A SAMPLES
timed() {
  local name=$1 s e
  shift
  s=$EPOCHREALTIME
  "$@" >/dev/null || { log "$name failed: $*"; exit 1; }
  e=$EPOCHREALTIME
  SAMPLES[$name]+="$(( ${e/./} - ${s/./} )) "
}
round() {
  timed jocker-bridge jocker run --rm busybox true
  timed jocker-none jocker run --rm --network none busybox true
  timed podman-bridge podman_ "${PODMAN_RUN[@]}" busybox true
  timed podman-none podman_ "${PODMAN_RUN[@]}" --network none busybox true
}
log "warming up ($WARMUP rounds)..."
for ((i = 0; i < WARMUP; i++)); do round; done
SAMPLES=()
log "measuring ($RUNS interleaved rounds)..."
for ((i = 0; i < RUNS; i++)); do round; done

median() { # median NAME, in ms
  tr ' ' '\n' <<<"${SAMPLES[$1]}" | grep . | sort -n | awk '{a[NR]=$1} END {
    printf "%.1f", (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2) / 1000 }'
}
echo "| engine | --network none (ms) | default bridge (ms) | the bridge adds (ms) |"
echo "|---|---|---|---|"
for engine in jocker podman; do
  n=$(median "$engine-none")
  b=$(median "$engine-bridge")
  echo "| $engine | $n | $b | $(awk -v b="$b" -v n="$n" 'BEGIN { printf "%.1f", b - n }') |"
done
echo "($RUNS interleaved rounds after $WARMUP warm-up rounds, load $(cut -d' ' -f1 /proc/loadavg))"
