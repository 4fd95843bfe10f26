#!/usr/bin/env bash
# Engine benchmark: `jocker run --rm busybox true` end to end through ./jocker (native client, warm
# resident engine) against `podman run --rm --network none` (Debian's podman, conmon, runc) and
# `runc run` alone on a bundle of the same busybox; then 50 `run -d` started at once (wall time,
# jocker vs podman), the resident memory each running container costs: Jocker's monitor
# (VmRSS of its jocker-launcher monitor process) against podman's conmon, and bin/jocker-runtime's
# create, start, state and delete against runc's.
# podman uses runc: its default, crun, refuses this cgroup v1 "hybrid" host (see runtime-start.sh).
#
# usage: sudo bench/engine-run.sh [-n RUNS] [-w WARMUP] [-c CONCURRENT] [-f FRESH_RUNS] [-o OUTPUT]
#   -n  timed runs per contender for the medians (default 30), interleaved round by round
#   -w  warmup runs of each before them (default 10)
#   -c  containers started at once with `run -d` (default 50)
#   -f  runs of ./jocker with JOCKER_NO_ENGINE=1 (a fresh JVM per command; default 5, 0 skips)
#   -o  also write the summary to this file
#
# Needs root, podman, conmon, runc, jq and a built project (./jocker builds it on first use).
# Everything lives under one mktemp directory: Jocker's --root and engine socket, podman's --root
# and --runroot. A trap stops the engine, removes every container and what podman left in the
# cgroup tree, also after a failure or Ctrl-C.
set -euo pipefail

RUNS=30 WARMUP=10 CONCURRENT=50 FRESH=5 OUTPUT=
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -w WARMUP -c CONCURRENT -f FRESH -o OUTPUT" "$@"
bench_need "$0" "containers need namespaces, cgroups and mounts" podman conmon runc jq

WORK=$(mktemp -d /tmp/jocker-engine-bench.XXXXXX)
JROOT=$WORK/jocker
export JOCKER_ENGINE_SOCKET=$WORK/engine/engine.sock  # this run's own engine
unset JOCKER_NO_ENGINE
PODMAN_HAD_CGROUPS=$(bench_podman_cgroups)
log() { printf '%s\n' "$*" >&2; }
# --bridge none: containers default to --network none, as podman's runs here (bench/network-cost.sh measures the bridge)
jocker() { "$REPO/jocker" --root "$JROOT" --bridge none "$@"; }
podman_() { bench_podman "$WORK" "$@"; }
PODMAN_RUN=(run --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

cleanup() {
  local rc=$? id
  trap - EXIT INT TERM
  set +e
  for id in $(jocker ps -aq --no-trunc 2>/dev/null); do jocker rm -f "$id" >/dev/null 2>&1; done
  # before the engine stops: with no engine, the client would start one
  for id in $("$REPO/bin/jocker-runtime" --root "$WORK/jocker-runtime" list -q 2>/dev/null); do
    "$REPO/bin/jocker-runtime" --root "$WORK/jocker-runtime" delete -f "$id" >/dev/null 2>&1
  done
  "$REPO/jocker" engine stop >/dev/null 2>&1
  for id in $(runc --root "$WORK/runc" list -q 2>/dev/null); do runc --root "$WORK/runc" delete -f "$id" >/dev/null 2>&1; done
  bench_remove_podman "$WORK" "$PODMAN_HAD_CGROUPS"
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

# ---- images and bundle --------------------------------------------------------------------------

log "preparing busybox for jocker, podman and runc in $WORK..."
cid=$(JOCKER_NO_ENGINE=1 jocker create busybox)   # makes the built-in busybox (and builds ./jocker if needed)
JOCKER_NO_ENGINE=1 jocker save -o "$WORK/busybox.tar" busybox
podman_ load -q -i "$WORK/busybox.tar" >/dev/null
mkdir -p "$WORK/bundle/rootfs" "$WORK/runc"
JOCKER_NO_ENGINE=1 jocker export "$cid" | tar -x -C "$WORK/bundle/rootfs"
JOCKER_NO_ENGINE=1 jocker rm "$cid" >/dev/null
(cd "$WORK/bundle" && runc spec)
jq '.process.terminal = false | .process.args = ["true"]' "$WORK/bundle/config.json" >"$WORK/bundle/c.json"
mv "$WORK/bundle/c.json" "$WORK/bundle/config.json"

# ---- one container, end to end ------------------------------------------------------------------

declare -A SAMPLES
# timed NAME CMD...: one run of CMD (output discarded); appends its wall time (us) to NAME's samples
timed() {
  local name=$1 s e; shift
  s=$EPOCHREALTIME
  "$@" >/dev/null || { log "$name failed: $*"; exit 1; }
  e=$EPOCHREALTIME
  SAMPLES[$name]+="$(( ${e/./} - ${s/./} )) "
}
round() {
  local i=$1
  timed jocker jocker run --rm busybox true
  timed podman podman_ "${PODMAN_RUN[@]}" --rm busybox true
  timed runc runc --root "$WORK/runc" run -b "$WORK/bundle" "bench-$i"
}
# First use: no engine yet. The client starts one in the background and runs the command in a
# fresh JVM; the alternative (wait for the engine, then run the command in it) would cost the
# engine's start-up plus the first command of a cold engine, both measured here.
log "first use: the command that starts the engine..."
s=$EPOCHREALTIME
jocker run --rm busybox true >/dev/null
e=$EPOCHREALTIME
cold_first=$(( (${e/./} - ${s/./}) / 1000 ))
until [ -S "$JOCKER_ENGINE_SOCKET" ] && [ -f "${JOCKER_ENGINE_SOCKET%/*}/engine.pid" ]; do sleep 0.01; done
e=$EPOCHREALTIME
engine_ready=$(( (${e/./} - ${s/./}) / 1000 ))
s=$EPOCHREALTIME
jocker run --rm busybox true >/dev/null
e=$EPOCHREALTIME
cold_engine=$(( (${e/./} - ${s/./}) / 1000 ))

log "warming up ($WARMUP rounds)..."
for ((i = 0; i < WARMUP; i++)); do round "w$i"; done
SAMPLES=()
log "measuring ($RUNS interleaved rounds)..."
for ((i = 0; i < RUNS; i++)); do round "$i"; done
for ((i = 0; i < FRESH; i++)); do
  JOCKER_NO_ENGINE=1 timed fresh jocker run --rm busybox true
done

stats() { # stats NAME: median min p90 in ms
  tr ' ' '\n' <<<"${SAMPLES[$1]}" | grep . | sort -n | awk '{a[NR]=$1} END {
    printf "%.1f %.1f %.1f", a[int((NR+1)/2)]/1000, a[1]/1000, a[int(NR*0.9+0.5)]/1000 }'
}
read -r jm jmin jp90 <<<"$(stats jocker)"
read -r pm pmin pp90 <<<"$(stats podman)"
read -r rm_ rmin rp90 <<<"$(stats runc)"

# ---- the runtime's command line against runc's, command by command ------------------------------
# create runs in a fresh JVM (its container belongs to the caller, as podman needs); the engine
# serves the others. The bundle's program is `true`; delete -f also takes a container still exiting.
RT_COMMANDS=(create start state delete)
runtime_round() {
  local i=$1 rt
  for rt in jocker runc; do
    local cmd=(runc --root "$WORK/runc")
    [ "$rt" = jocker ] && cmd=("$REPO/bin/jocker-runtime" --root "$WORK/jocker-runtime")
    timed "rt-create-$rt" "${cmd[@]}" create -b "$WORK/bundle" "rt-$i"
    timed "rt-start-$rt" "${cmd[@]}" start "rt-$i"
    timed "rt-state-$rt" "${cmd[@]}" state "rt-$i"
    timed "rt-delete-$rt" "${cmd[@]}" delete -f "rt-$i"
  done
}
log "runtime commands: bin/jocker-runtime against runc..."
for ((i = 0; i < 3; i++)); do runtime_round "w$i"; done
for key in "${!SAMPLES[@]}"; do [[ $key == rt-* ]] && unset "SAMPLES[$key]"; done
for ((i = 0; i < RUNS / 2; i++)); do runtime_round "$i"; done

# ---- many detached containers at once, and their resident memory ------------------------------

log "starting $CONCURRENT detached containers at once with jocker..."
s=$EPOCHREALTIME
for ((i = 0; i < CONCURRENT; i++)); do jocker run -d busybox sleep 1000 >/dev/null & done
wait
e=$EPOCHREALTIME
jocker_many=$(( (${e/./} - ${s/./}) / 1000 ))
running=$(jocker ps -q | wc -l)
monitor_kib=0
for state in "$JROOT"/run/*/state.json; do
  pid=$(jq -r .monitorPid "$state")
  kib=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  monitor_kib=$((monitor_kib + kib))
done
for id in $(jocker ps -aq --no-trunc); do jocker rm -f "$id" >/dev/null; done

log "starting $CONCURRENT detached containers at once with podman..."
s=$EPOCHREALTIME
for ((i = 0; i < CONCURRENT; i++)); do podman_ "${PODMAN_RUN[@]}" -d busybox sleep 1000 >/dev/null & done
wait
e=$EPOCHREALTIME
podman_many=$(( (${e/./} - ${s/./}) / 1000 ))
podman_running=$(podman_ ps -q | wc -l)
conmon_kib=0 conmons=0
for pid in $(pgrep -f "conmon .*$WORK/podman"); do
  kib=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  conmon_kib=$((conmon_kib + kib)) conmons=$((conmons + 1))
done
podman_ rm -af -t 0 >/dev/null

# ---- summary ------------------------------------------------------------------------------------

engine_kib=$(awk '/^VmRSS/ {print $2}' "/proc/$(cat "$WORK/engine/engine.pid")/status")
{
  echo "engine-run.sh -n $RUNS -w $WARMUP -c $CONCURRENT -f $FRESH, $(date -u '+%Y-%m-%d %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| one container, end to end | median ms | min ms | p90 ms | × podman |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  echo "| ./jocker run --rm busybox true (warm engine) | $jm | $jmin | $jp90 | $(awk -v a="$jm" -v b="$pm" 'BEGIN{printf "%.2f", a/b}') |"
  echo "| podman run --rm --network none busybox true | $pm | $pmin | $pp90 | 1.00 |"
  echo "| runc run (bundle, no engine) | $rm_ | $rmin | $rp90 | $(awk -v a="$rm_" -v b="$pm" 'BEGIN{printf "%.2f", a/b}') |"
  if [ "$FRESH" -gt 0 ]; then
    read -r fm fmin fp90 <<<"$(stats fresh)"
    echo "| JOCKER_NO_ENGINE=1 ./jocker run --rm busybox true (fresh JVM) | $fm | $fmin | $fp90 | $(awk -v a="$fm" -v b="$pm" 'BEGIN{printf "%.2f", a/b}') |"
  fi
  echo
  echo "First use: the command that starts the engine (and runs in a fresh JVM) took $cold_first ms;"
  echo "the engine was accepting $engine_ready ms after that command began, and its first command took"
  echo "$cold_engine ms (waiting for the engine instead would have cost about $((engine_ready + cold_engine)) ms)."
  echo
  echo "| runtime command ($((RUNS / 2)) runs) | bin/jocker-runtime median ms | runc median ms | ratio |"
  echo "| --- | ---: | ---: | ---: |"
  for c in "${RT_COMMANDS[@]}"; do
    read -r a _ _ <<<"$(stats "rt-$c-jocker")"
    read -r b _ _ <<<"$(stats "rt-$c-runc")"
    echo "| $c | $a | $b | $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a/b}') |"
  done
  echo
  echo "| $CONCURRENT × run -d busybox sleep 1000 at once | wall ms | running | RSS per container KiB |"
  echo "| --- | ---: | ---: | ---: |"
  echo "| jocker (monitor: jocker-launcher) | $jocker_many | $running | $((monitor_kib / (running > 0 ? running : 1))) |"
  echo "| podman (conmon) | $podman_many | $podman_running | $((conmon_kib / (conmons > 0 ? conmons : 1))) |"
  echo
  echo "Resident engine after the run: VmRSS $((engine_kib / 1024)) MiB (one process for all commands, not per container)."
} | tee "${OUTPUT:-/dev/null}"
