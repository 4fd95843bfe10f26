#!/usr/bin/env bash
# Runtime start benchmark: how long one container running /bin/true takes from nothing to gone
# (create + start + wait + delete), side by side for
#   floor   unshare(1) of the same namespaces + chroot, no runtime at all
#   runc    `runc run` (create+start+wait+delete in one command)
#   crun    `crun run`
#   jocker  the in-process Java API (ContainerRuntime) in a warm JVM, and in a cold JVM
# then 100 sequential containers per runtime, and the resident memory of Jocker's per-container
# monitor process. All runtimes get the same busybox bundle and config.json (Jocker's DefaultSpec).
#
# usage: sudo bench/runtime-start.sh [-n RUNS] [-w WARMUP] [-j JVM_WARMUP] [-s SEQUENTIAL] [-m MONITORS]
#                                    [-c COLD_RUNS] [-o OUTPUT] [--no-build]
#   -n  timed runs per runtime for the medians (default 50)
#   -w  warmup runs before them (default 10)
#   -j  warmup containers for the warm Jocker JVM (default 200: the JIT needs them)
#   -s  containers in the sequential total (default 100)
#   -m  long-running containers for the monitor memory figure (default 10)
#   -c  cold-JVM Jocker runs (default 10; 0 skips them)
#   -o  also write the summary to this file
#   --no-build  use launcher/target and runtime/target as they are
#
# Needs root, runc, crun, busybox-static (/bin/busybox), a JDK 25 and the offline Maven repository
# the project builds with. Everything it makes lives under one mktemp directory, cgroups and
# container ids carry a per-run tag, and a trap removes it all, also after a failure or Ctrl-C.
set -euo pipefail

RUNS=50 WARMUP=10 JWARMUP=200 SEQ=100 MONITORS=10 COLD=10 OUTPUT= BUILD=1
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -w WARMUP -j JWARMUP -s SEQ -m MONITORS -c COLD -o OUTPUT --no-build BUILD=0" "$@"
bench_need "$0" "containers need namespaces, cgroups and mounts" \
  runc crun unshare chroot java javac mvn make /bin/busybox

TAG=jocker-bench-$$            # in every container id and cgroup name of this run
WORK=$(mktemp -d /tmp/jocker-bench.XXXXXX)
RUNC_ROOT=$WORK/runc CRUN_ROOT=$WORK/crun JOCKER_ROOT=$WORK/jocker
mkdir -p "$RUNC_ROOT" "$CRUN_ROOT" "$JOCKER_ROOT"
SUMMARY=$WORK/summary.txt
SERVERS=()

log() { printf '%s\n' "$*" >&2; }

# ---- cleanup ------------------------------------------------------------------------------------

# crun refuses cgroup v1 "hybrid" hosts (a cgroup2 mount at /sys/fs/cgroup/unified); in a private
# mount namespace without that mount it sees plain cgroup v1. The host's mounts are not touched.
crun_ns() { unshare --mount --propagation private bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"' crun_ns "$@"; }

cleanup() {
  local rc=$? id pid dir
  trap - EXIT INT TERM
  set +e
  # Our servers and Java children (a Ctrl-C skips their finally blocks): stop them first.
  for pid in "${SERVERS[@]}" $(jobs -p); do kill -KILL "$pid" 2>/dev/null; done
  for id in $(runc --root "$RUNC_ROOT" list -q 2>/dev/null); do runc --root "$RUNC_ROOT" delete -f "$id" >/dev/null 2>&1; done
  for id in $(crun --root "$CRUN_ROOT" list -q 2>/dev/null); do
    crun_ns crun --root "$CRUN_ROOT" delete -f "$id" >/dev/null 2>&1
    crun --cgroup-manager=disabled --root "$CRUN_ROOT" delete -f "$id" >/dev/null 2>&1
  done
  bench_remove_cgroups "$TAG"
  bench_remove_work "$WORK"
  local left
  left=$(find /sys/fs/cgroup -maxdepth 4 -name "$TAG*" 2>/dev/null)
  [ -z "$left" ] || log "runtime-start.sh: WARNING: cgroups left behind: $left"
  exit "$rc"
}
bench_on_exit cleanup

# ---- build --------------------------------------------------------------------------------------

[ "$BUILD" = 0 ] || bench_build "$REPO" runtime
LAUNCHER=$REPO/launcher/target/jocker-launcher
[ -x "$LAUNCHER" ] && [ -d "$REPO/runtime/target/classes" ] \
  || { log "runtime-start.sh: build first (make -C launcher; mvn -pl runtime -am package -DskipTests)"; exit 1; }
CP=$(bench_java_classpath "$REPO" runtime "$WORK" "$REPO/bench/target/classes" RuntimeStartBench RunningContainers)
JAVA=(java --enable-native-access=ALL-UNNAMED -Djocker.launcher="$LAUNCHER" -Dbench.prefix="$TAG" -cp "$CP")
bench() { "${JAVA[@]}" org.jocker.bench.RuntimeStartBench "$@"; }

# ---- bundles ------------------------------------------------------------------------------------

# crun 1.8 rejects ociVersion 1.2.0 ("unknown version specified"); 1.0.2 suits all three.
bench bundle "$WORK/true" --oci-version 1.0.2 -- /bin/true
bench bundle "$WORK/sleep" --oci-version 1.0.2 -- /bin/sleep 1000
ROOTFS=$WORK/true/rootfs

# ---- timing helpers -----------------------------------------------------------------------------

# measure NAME WARMUP RUNS CMD...: runs CMD (with @ID@ replaced by a fresh id) WARMUP+RUNS times;
# prints "RESULT name=NAME ..." with the median, min and p90 wall time of the timed runs in ms.
measure() {
  local name=$1 warmup=$2 runs=$3; shift 3
  local i s e samples=() args a
  for ((i = 0; i < warmup + runs; i++)); do
    args=()
    for a in "$@"; do args+=("${a//@ID@/$TAG-$name-$i}"); done
    s=$EPOCHREALTIME
    "${args[@]}" >/dev/null || { log "$name: run $i failed: ${args[*]}"; return 1; }
    e=$EPOCHREALTIME
    ((i < warmup)) || samples+=("$(( (${e/./} - ${s/./}) ))") # microseconds
  done
  printf '%s\n' "${samples[@]}" | bench_summarize "$name" -
}

# sequential NAME COUNT CMD...: wall time of COUNT runs back to back (after 3 warmups).
sequential() {
  local name=$1 count=$2; shift 2
  local i s e args a
  for ((i = -3; i < count; i++)); do
    ((i != 0)) || s=$EPOCHREALTIME
    args=()
    for a in "$@"; do args+=("${a//@ID@/$TAG-$name-$i}"); done
    "${args[@]}" >/dev/null || { log "$name: run $i failed"; return 1; }
  done
  e=$EPOCHREALTIME
  awk -v name="$name" -v n="$count" -v us="$(( ${e/./} - ${s/./} ))" \
    'BEGIN { printf "RESULT name=%s n=%d total_ms=%.1f per_container_ms=%.2f\n", name, n, us / 1000, us / 1000 / n }'
}
export -f bench_summarize measure sequential log
export TAG

# ---- crun: find a way it runs on this host --------------------------------------------------------

CRUN=() CRUN_NOTE=
if out=$(crun --root "$CRUN_ROOT" run -b "$WORK/true" "$TAG-crun-probe" 2>&1); then
  CRUN=(crun --root "$CRUN_ROOT") CRUN_NOTE="crun as is"
else
  log "crun refuses this host as is: $out"
  if out2=$(crun_ns crun --root "$CRUN_ROOT" run -b "$WORK/true" "$TAG-crun-probe" 2>&1); then
    CRUN=(crun_ns_run) CRUN_NOTE="crun refuses the host as is (\"$out\"); measured in a private mount namespace without the cgroup2 mount at /sys/fs/cgroup/unified, so with cgroup v1 controllers (cgroupfs), like runc and Jocker"
  else
    CRUN_NOTE="crun refuses this host: \"$out\"; in a private mount namespace without /sys/fs/cgroup/unified: \"$out2\""
  fi
fi
crun --root "$CRUN_ROOT" delete -f "$TAG-crun-probe" >/dev/null 2>&1 || true
CRUN_NOCG_NOTE=
if out=$(crun --cgroup-manager=disabled --root "$CRUN_ROOT" run -b "$WORK/true" "$TAG-crun-nocg-probe" 2>&1); then
  CRUN_NOCG=(crun --cgroup-manager=disabled --root "$CRUN_ROOT")
elif out2=$(crun_ns crun --cgroup-manager=disabled --root "$CRUN_ROOT" run -b "$WORK/true" "$TAG-crun-nocg-probe" 2>&1); then
  CRUN_NOCG=(crun_ns_run --cgroup-manager=disabled) CRUN_NOCG_NOTE="--cgroup-manager=disabled alone is refused too (\"$out\"); measured in the same private mount namespace"
else
  CRUN_NOCG=() CRUN_NOCG_NOTE="crun --cgroup-manager=disabled refused: \"$out\" / \"$out2\""
fi

# The crun commands then run inside one private mount namespace (entered once, not per container).
crun_block() { # crun_block FUNCTION ARGS...: runs measure/sequential with crun inside the namespace
  if [ "${CRUN[0]:-}" = crun_ns_run ] || [ "${CRUN_NOCG[0]:-}" = crun_ns_run ]; then
    unshare --mount --propagation private bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null; "$@"' crun_block "$@"
  else
    "$@"
  fi
}
crun_args() { # the argv prefix for a crun variant, namespace-agnostic inside crun_block
  local -n v=$1
  if [ "${v[0]}" = crun_ns_run ]; then echo crun "${v[@]:1}" --root "$CRUN_ROOT"; else echo "${v[@]}"; fi
}

# ---- helpers that stay up: a warm Jocker JVM and a shell inside crun's namespace -------------

# start_server NAME CMD...: runs CMD with its stdin and stdout on fifos; sets ${NAME}_IN/_OUT fds.
start_server() {
  local name=$1; shift
  mkfifo "$WORK/$name.in" "$WORK/$name.out"
  "$@" <"$WORK/$name.in" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  SERVERS+=($!)
  local in out
  exec {in}>"$WORK/$name.in" {out}<"$WORK/$name.out"
  printf -v "${name}_IN" %s "$in"; printf -v "${name}_OUT" %s "$out"
}
ask() { # ask NAME LINE: one request, one reply line
  local in=${1}_IN out=${1}_OUT reply
  echo "$2" >&"${!in}"
  read -r reply <&"${!out}" || { log "$1 server died: $(cat "$WORK/$1.err")"; return 1; }
  echo "$reply"
}
RUNNER='while read -r -a cmd; do
  s=$EPOCHREALTIME; "${cmd[@]}" >/dev/null 2>&1; rc=$?; e=$EPOCHREALTIME
  if [ $rc = 0 ]; then echo $(( ${e/./} - ${s/./} )); else echo "fail $rc"; fi
done'
timed() { # timed CMD...: microseconds of one run, here in this shell
  local s e
  s=$EPOCHREALTIME; "$@" >/dev/null || { echo "fail $?"; return; }; e=$EPOCHREALTIME
  echo $(( ${e/./} - ${s/./} ))
}

start_server JVM "${JAVA[@]}" org.jocker.bench.RuntimeStartBench serve "$JOCKER_ROOT" "$WORK/true"
if [ "${CRUN[0]:-}" = crun_ns_run ] || [ "${CRUN_NOCG[0]:-}" = crun_ns_run ]; then
  start_server CRUNSH unshare --mount --propagation private bash -c "umount /sys/fs/cgroup/unified 2>/dev/null; $RUNNER"
else
  start_server CRUNSH bash -c "$RUNNER"
fi

# ---- 1. one container: interleaved rounds, medians ----------------------------------------------

# one_round I TIMED: one container of each kind; TIMED=1 keeps the samples
one_round() {
  local i=$1 keep=$2 r
  r=$(timed unshare --mount --uts --ipc --net --pid --cgroup --fork chroot "$ROOTFS" /bin/true)
  [ "$keep" = 0 ] || echo "$r" >> "$WORK/s.floor"
  r=$(timed runc --root "$RUNC_ROOT" run -b "$WORK/true" "$TAG-runc-$i")
  [ "$keep" = 0 ] || echo "$r" >> "$WORK/s.runc"
  if [ ${#CRUN[@]} -gt 0 ]; then
    r=$(ask CRUNSH "$(crun_args CRUN) run -b $WORK/true $TAG-crun-$i")
    [ "$keep" = 0 ] || echo "$r" >> "$WORK/s.crun"
  fi
  if [ ${#CRUN_NOCG[@]} -gt 0 ]; then
    r=$(ask CRUNSH "$(crun_args CRUN_NOCG) run -b $WORK/true $TAG-crunnocg-$i")
    [ "$keep" = 0 ] || echo "$r" >> "$WORK/s.crun-nocgroup"
  fi
  r=$(ask JVM run)
  [ "$keep" = 0 ] || { echo "${r%% *}" >> "$WORK/s.jocker-inprocess"; echo "$r" >> "$WORK/s.jocker-phases"; }
  if grep -qs '^fail' "$WORK"/s.* || [[ "$r" == error* ]]; then log "round $i failed: $(grep -s '^fail' "$WORK"/s.*) $r"; return 1; fi
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before: $LOAD_BEFORE"
log "warmup: Jocker JVM $JWARMUP containers, then $WARMUP interleaved rounds"
[ "$(ask JVM "warmup $JWARMUP")" = ok ]
for ((i = 0; i < WARMUP; i++)); do one_round "w$i" 0; done
log "timing: $RUNS interleaved rounds (floor, runc, crun, crun without cgroups, jocker)"
for ((i = 0; i < RUNS; i++)); do one_round "$i" 1; done
{
  for name in floor runc crun crun-nocgroup jocker-inprocess; do
    [ -s "$WORK/s.$name" ] && bench_summarize "$name" "$WORK/s.$name"
  done
  line=PHASES col=2
  for phase in create start awaitExit delete; do
    line+=" $phase=$(awk -v c=$col '{ print $c }' "$WORK/s.jocker-phases" | sort -n \
      | awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] / 1000 }')"
    col=$((col + 1))
  done
  echo "$line (medians of each phase, ms)"
} > "$WORK/raw.txt"
cat "$WORK/raw.txt" >&2

{
  # ---- 2. sequential containers -----------------------------------------------------------------
  log "sequential: $SEQ containers each"
  sequential runc-seq "$SEQ" runc --root "$RUNC_ROOT" run -b "$WORK/true" @ID@
  if [ ${#CRUN[@]} -gt 0 ]; then
    # shellcheck disable=SC2046
    crun_block sequential crun-seq "$SEQ" $(crun_args CRUN) run -b "$WORK/true" @ID@
  fi
  us=$(ask JVM "seq $SEQ")
  awk -v n="$SEQ" -v us="$us" 'BEGIN { printf "RESULT name=jocker-seq n=%d total_ms=%.1f\n", n, us / 1000 }'
  echo quit >&"$JVM_IN"; exec {JVM_IN}>&- {JVM_OUT}<&-; wait "${SERVERS[0]}" || true
  bench seq "$JOCKER_ROOT" "$WORK/true" 0 "$SEQ" | sed 's/name=jocker-seq /name=jocker-seq-freshjvm /'

  # ---- 3. details: cgroup cost, lukewarm and cold JVM -------------------------------------------
  bench loop "$JOCKER_ROOT" "$WORK/true" "$WARMUP" "$RUNS" | sed 's/name=jocker-inprocess /name=jocker-lukewarm /; s/^PHASES /PHASES-LUKEWARM /'
  bench cgroups "$JWARMUP" "$RUNS"
  if [ "$COLD" -gt 0 ]; then
    measure jocker-coldjvm 2 "$COLD" "${JAVA[@]}" org.jocker.bench.RuntimeStartBench once "$JOCKER_ROOT" "$WORK/true"
  fi

  # ---- 4. monitor memory ------------------------------------------------------------------------
  log "monitor memory: $MONITORS long-running containers"
  bench monitors "$JOCKER_ROOT" "$WORK/sleep" "$MONITORS"
} | tee -a "$WORK/raw.txt" >&2
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exec {CRUNSH_IN}>&- {CRUNSH_OUT}<&-; wait "${SERVERS[1]}" || true
SERVERS=()

# ---- summary -----------------------------------------------------------------------------------

val() { # val NAME KEY
  awk -v n="name=$1" -v k="$2=" '$1 == "RESULT" && $2 == n { for (i = 3; i <= NF; i++) if (index($i, k) == 1) print substr($i, length(k) + 1) }' "$WORK/raw.txt"
}
{
  echo "# runtime start benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# host: $(nproc) cpus, $(uname -r), $(runc --version | head -1), $(crun --version | head -1)"
  echo "# $RUNS interleaved rounds (floor, runc, crun, jocker) after $WARMUP warmup rounds; the warm Jocker JVM"
  echo "# first ran $JWARMUP containers; /bin/true in a busybox bundle; load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
  echo "# crun: ${CRUN_NOTE:-not measured}"
  [ -z "$CRUN_NOCG_NOTE" ] || echo "# crun-nocgroup: $CRUN_NOCG_NOTE"
  printf '%-16s %10s %10s %10s %9s %9s %9s\n' runtime median_ms min_ms p90_ms x_floor x_runc x_crun
  floor=$(val floor median_ms) runc=$(val runc median_ms) crun=$(val crun median_ms)
  for name in floor runc crun crun-nocgroup jocker-inprocess jocker-lukewarm jocker-coldjvm; do
    m=$(val "$name" median_ms); [ -n "$m" ] || continue
    awk -v n="$name" -v m="$m" -v lo="$(val "$name" min_ms)" -v p="$(val "$name" p90_ms)" \
        -v f="$floor" -v r="$runc" -v c="$crun" 'BEGIN {
      printf "%-16s %10.2f %10.2f %10.2f %9s %9s %9s\n", n, m, lo, p,
        f ? sprintf("%.2f", m / f) : "-", r ? sprintf("%.2f", m / r) : "-", c ? sprintf("%.2f", m / c) : "-" }'
  done
  echo
  echo "# jocker phases (medians, ms). warm: the interleaved runs; lukewarm: a JVM after only $WARMUP"
  echo "# containers, where kernel.* is the time inside those Kernel calls; cgroup.*: create/destroy alone:"
  grep '^PHASES' "$WORK/raw.txt" | sed 's/^PHASES-LUKEWARM /#   lukewarm: /; s/^PHASES /#   /'
  echo
  printf '%-16s %12s %16s\n' sequential total_ms per_container_ms
  for name in runc-seq crun-seq jocker-seq jocker-seq-freshjvm; do
    t=$(val "$name" total_ms); [ -n "$t" ] || continue
    printf '%-16s %12s %16s\n' "$name" "$t" "$(awk -v t="$t" -v n="$(val "$name" n)" 'BEGIN { printf "%.2f", t / n }')"
  done
  echo
  echo "# jocker monitor memory, $MONITORS containers running sleep 1000:"
  echo "#   VmRSS sum $(val jocker-monitor rss_sum_kib) KiB, average $(val jocker-monitor rss_avg_kib) KiB;" \
       "Pss sum $(val jocker-monitor pss_sum_kib) KiB, average $(val jocker-monitor pss_avg_kib) KiB"
} > "$SUMMARY"
cat "$SUMMARY"
[ -z "$OUTPUT" ] || cp "$SUMMARY" "$OUTPUT"
