#!/usr/bin/env bash
# Monitor memory: what each running container's monitor really costs, in one run, for
#   own     every monitor in its own sealed memfd copy of the launcher (the launcher spawned from
#           its file on disk: what every monitor did before the copy was shared)
#   shared  the runtime as it is: the monitors one JVM starts all run from its one sealed copy
#   conmon  podman's per-container monitor (Debian's podman with runc), if podman is installed
# N containers running `sleep 1000` each (one set after the other).
#
# Per monitor process: VmRSS, and from /proc/PID/smaps_rollup Pss and Pss_Shmem. A memfd that only
# an exe mapping keeps alive still holds all its pages in shmem, mapped or not; Pss only counts the
# mapped ones, shared out between the processes that map them. So the cost is counted as
#   total = sum over monitors of (Pss - Pss_Shmem)  +  the size of each distinct memfd exe, once
# and reported per container (total / N). For conmon (no memfd) total is its Pss.
#
# usage: sudo bench/monitor-memory.sh [-n CONTAINERS] [-o OUTPUT] [--no-build] [--no-podman]
#   -n  containers per set (default 10)
#   -o  also write the summary to this file
#   --no-build   use launcher/target and runtime/target as they are
#   --no-podman  skip conmon
#
# Needs root, busybox-static (/bin/busybox), a JDK 25 and the offline Maven repository; podman,
# conmon and runc for the conmon figure. Everything lives in one mktemp directory, container ids and
# cgroups carry a per-run tag, podman gets its own --root and --runroot there, and a trap removes it
# all, also after a failure or Ctrl-C.
set -euo pipefail

N=10 OUTPUT= BUILD=1 PODMAN=1
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n N -o OUTPUT --no-build BUILD=0 --no-podman PODMAN=0" "$@"
TOOLS=(java javac mvn make /bin/busybox)
[ "$PODMAN" = 0 ] || TOOLS+=(podman conmon runc)
bench_need "$0" "containers need namespaces, cgroups and mounts" "${TOOLS[@]}"

TAG=jocker-mem-$$
WORK=$(mktemp -d /tmp/jocker-monitor-memory.XXXXXX)
SUMMARY=$WORK/summary.txt
PODMAN_HAD_CGROUPS=$(bench_podman_cgroups)
BENCH_PID=
log() { printf '%s\n' "$*" >&2; }
podman_() { bench_podman "$WORK" "$@"; }

cleanup() {
  local rc=$? dir
  trap - EXIT INT TERM
  set +e
  [ -n "$BENCH_PID" ] && kill -KILL "$BENCH_PID" 2>/dev/null
  [ "$PODMAN" = 0 ] || bench_remove_podman "$WORK" "$PODMAN_HAD_CGROUPS"
  bench_remove_cgroups "$TAG"
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

# ---- build --------------------------------------------------------------------------------------

[ "$BUILD" = 0 ] || bench_build "$REPO" runtime
LAUNCHER=$REPO/launcher/target/jocker-launcher
CP=$(bench_java_classpath "$REPO" runtime "$WORK" "$WORK/classes" RuntimeStartBench MonitorMemoryBench RunningContainers)
JAVA=(java --enable-native-access=ALL-UNNAMED -Djocker.launcher="$LAUNCHER" -Dbench.prefix="$TAG" -cp "$CP")
"${JAVA[@]}" org.jocker.bench.RuntimeStartBench bundle "$WORK/sleep" -- /bin/sleep 1000

# ---- measuring ----------------------------------------------------------------------------------

# measure LABEL PID...: one RESULT line (KiB) for these monitor processes
measure() {
  local label=$1 pid rss pss shm exe key size n=0 rss_sum=0 pss_sum=0 private_sum=0 shm_sum=0
  shift
  declare -A copies=()
  for pid in "$@"; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
    shm=$(awk '/^Pss_Shmem:/ {print $2}' "/proc/$pid/smaps_rollup")
    exe=$(readlink "/proc/$pid/exe")
    if [[ $exe == /memfd:* ]]; then
      read -r key size <<<"$(stat -L -c '%d:%i %s' "/proc/$pid/exe")"
      copies[$key]=$(( (size + 4095) / 4096 * 4 ))
    fi
    n=$((n + 1)) rss_sum=$((rss_sum + rss)) pss_sum=$((pss_sum + pss))
    private_sum=$((private_sum + pss - shm))
  done
  for key in "${!copies[@]}"; do shm_sum=$((shm_sum + copies[$key])); done
  echo "RESULT $label n=$n copies=${#copies[@]} rss_avg=$((rss_sum / n)) pss_avg=$((pss_sum / n))" \
    "private_avg=$((private_sum / n)) memfd_kib=$shm_sum total_kib=$((private_sum + shm_sum))" \
    "per_container_kib=$(( (private_sum + shm_sum) / n ))" | tee -a "$SUMMARY"
}

# jocker MODE: N containers through the runtime API in one JVM, measured while they run
jocker_set() {
  local mode=$1 line
  log "jocker ($mode copy): $N containers running sleep 1000..."
  coproc BENCH { "${JAVA[@]}" org.jocker.bench.MonitorMemoryBench "$WORK/jocker" "$WORK/sleep" "$N" "$mode"; }
  while read -r line <&"${BENCH[0]}"; do
    [[ $line == MONITORS* ]] && break
  done
  [[ $line == MONITORS* ]] || { log "monitor-memory.sh: the jocker $mode set failed"; exit 1; }
  sleep 1
  # shellcheck disable=SC2086
  measure "jocker-$mode" ${line#MONITORS }
  echo done >&"${BENCH[1]}"
  wait "$BENCH_PID"
  BENCH_PID=
}

jocker_set own
jocker_set shared

if [ "$PODMAN" = 1 ]; then
  log "podman (conmon): $N containers running sleep 1000..."
  tar -C "$WORK/sleep/rootfs" -c . | podman_ import -q - localhost/monitor-memory:latest >/dev/null
  pids=()
  for ((i = 0; i < N; i++)); do
    id=$(podman_ run -d --network none --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 \
      --name "$TAG-$i" localhost/monitor-memory:latest /bin/sleep 1000)
    pids+=("$(podman_ inspect -f '{{.State.ConmonPid}}' "$id")")
  done
  sleep 1
  measure conmon "${pids[@]}"
  podman_ rm -af -t 0 >/dev/null
fi

{
  echo "# monitor-memory.sh -n $N, $(date -u '+%Y-%m-%d %H:%M') UTC, launcher $(stat -c %s "$LAUNCHER") bytes," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# KiB; private = Pss - Pss_Shmem; memfd = distinct sealed copies, whole size, once each;"
  echo "# per container = (sum of private + memfd) / n"
} | tee -a "$SUMMARY" >&2
[ -z "$OUTPUT" ] || cp "$SUMMARY" "$OUTPUT"
