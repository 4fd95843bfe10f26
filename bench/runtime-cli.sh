#!/usr/bin/env bash
# The runtime's command line side by side: how long each command an engine calls takes with runc,
# crun and bin/jocker-runtime (a resident engine serves every command: the native client spawns the
# launcher itself, no JVM starts per command), on the same busybox bundle: create, start, state,
# exec, kill and delete of a `sleep` container, and `run` of /bin/true; rounds interleave the
# runtimes. Then `podman run --rm busybox true` with runc and with bin/jocker-runtime as podman's
# --runtime (crun cannot be podman's runtime on a cgroup v1 "hybrid" host).
#
# usage: sudo bench/runtime-cli.sh [-n RUNS] [-w WARMUP] [-p PODMAN_RUNS] [-o OUTPUT] [--no-build]
#   -n  timed rounds per runtime (default 30)
#   -w  warmup rounds before them (default 10; the first also starts Jocker's engine)
#   -p  podman runs per runtime (default 10; 0 skips podman)
#   -o  also write the summary to this file
#   --no-build  use the last build (mvn package) as it is
#
# Needs root, runc, crun, podman, python3, busybox-static (/bin/busybox). Everything it makes lives
# under one mktemp directory (Jocker's engine socket too), container ids and cgroups carry a per-run
# tag, and a trap removes it all, also after a failure or Ctrl-C.
set -euo pipefail

RUNS=30 WARMUP=10 PODMAN_RUNS=10 OUTPUT= BUILD=1
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -w WARMUP -p PODMAN_RUNS -o OUTPUT --no-build BUILD=0" "$@"
bench_need "$0" "containers need namespaces, cgroups and mounts" runc crun podman unshare python3 /bin/busybox

TAG=jocker-cli-bench-$$ # in every container id and cgroup name of this run
WORK=$(mktemp -d /tmp/jocker-cli-bench.XXXXXX)
export JOCKER_ENGINE_SOCKET=$WORK/engine/engine.sock # this run's own engine
JOCKER=$REPO/bin/jocker-runtime
PODMAN_HAD_CGROUPS=$(bench_podman_cgroups)
CRUN_IN_NS=0

log() { printf '%s\n' "$*" >&2; }

# crun refuses cgroup v1 "hybrid" hosts (a cgroup2 mount at /sys/fs/cgroup/unified); in a private
# mount namespace without that mount it sees plain cgroup v1. The host's mounts are not touched.
in_crun_ns() { # in_crun_ns CMD...: CMD where crun runs (a private mount namespace if it needs one)
  if [ "$CRUN_IN_NS" = 1 ]; then
    unshare --mount --propagation private bash -c 'umount /sys/fs/cgroup/unified 2>/dev/null; "$@"' in_crun_ns "$@"
  else
    "$@"
  fi
}

cleanup() {
  local rc=$? id pid
  trap - EXIT INT TERM
  set +e
  for id in $(runc --root "$WORK/runc" list -q 2>/dev/null); do runc --root "$WORK/runc" delete -f "$id" >/dev/null 2>&1; done
  for id in $(crun --root "$WORK/crun" list -q 2>/dev/null); do
    in_crun_ns crun --root "$WORK/crun" delete -f "$id" >/dev/null 2>&1
  done
  for id in $("$JOCKER" --root "$WORK/jocker" list -q 2>/dev/null); do
    "$JOCKER" --root "$WORK/jocker" delete -f "$id" >/dev/null 2>&1
  done
  [ "$PODMAN_RUNS" = 0 ] || bench_remove_podman "$WORK" "$PODMAN_HAD_CGROUPS"
  if [ -f "$WORK/engine/engine.pid" ]; then
    pid=$(cat "$WORK/engine/engine.pid")
    kill "$pid" 2>/dev/null && while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  bench_remove_cgroups "$TAG"
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

if [ "$BUILD" = 1 ]; then
  log "building..."
  (cd "$REPO" && mvn -q -B -o package -DskipTests >&2)
fi

# ---- bundles: busybox, runc's default config (ociVersion 1.0.2: crun 1.8 refuses 1.2.0) ---------

bundle() { # bundle NAME ARGS...
  local dir=$WORK/$1 applet
  shift
  mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/tmp"
  cp /bin/busybox "$dir/rootfs/bin/"
  for applet in sh true sleep; do ln -s busybox "$dir/rootfs/bin/$applet"; done
  runc spec --bundle "$dir"
  python3 - "$dir/config.json" "$@" <<'EOF'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
c = json.load(open(path))
c["ociVersion"] = "1.0.2"
c["process"]["terminal"] = False
c["process"]["args"] = args
json.dump(c, open(path, "w"))
EOF
}
bundle sleep /bin/sleep 1000
bundle true /bin/true
mkdir -p "$WORK/runc" "$WORK/crun" "$WORK/jocker" "$WORK/samples"

if ! out=$(crun --root "$WORK/crun" run -b "$WORK/true" "$TAG-crun-probe" 2>&1); then
  log "crun refuses this host as is ($out): measured in a private mount namespace without /sys/fs/cgroup/unified"
  CRUN_IN_NS=1
fi

# ---- one round: every command once, each timed on its own -----------------------------------------

# round NAME RECORD RUNTIME...: create, start, state, exec, kill, delete of a sleep container, then
# run of /bin/true; with RECORD=1 each command's wall time (microseconds) goes to samples/NAME.CMD.
round() {
  local name=$1 record=$2 id=$TAG-$1-$RANDOM$RANDOM
  shift 2
  timed() { # timed CMD ARGS...: runs the runtime command CMD, recording its time
    local cmd=$1 s e
    shift
    s=$EPOCHREALTIME
    "$@" >/dev/null || { echo "$name $cmd failed: $*" >&2; return 1; }
    e=$EPOCHREALTIME
    [ "$record" = 0 ] || echo $((${e/./} - ${s/./})) >>"$WORK/samples/$name.$cmd"
  }
  timed create "$@" create -b "$WORK/sleep" "$id"
  timed start "$@" start "$id"
  timed state "$@" state "$id"
  timed exec "$@" exec "$id" /bin/true
  timed kill "$@" kill "$id" KILL
  while "$@" state "$id" 2>/dev/null | grep -q '"running"'; do sleep 0.01; done
  timed delete "$@" delete "$id"
  timed run "$@" run -b "$WORK/true" "$id-run"
}
export -f round
export WORK TAG JOCKER_ENGINE_SOCKET

one_round() { # one_round RECORD
  round runc "$1" runc --root "$WORK/runc"
  in_crun_ns bash -c 'round crun "$1" crun --root "$WORK/crun"' round "$1"
  round jocker "$1" "$JOCKER" --root "$WORK/jocker"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "warmup: $WARMUP rounds; timing: $RUNS rounds (runc, crun, jocker interleaved)"
for ((i = 0; i < WARMUP; i++)); do one_round 0; done
for ((i = 0; i < RUNS; i++)); do one_round 1; done

# ---- podman with each runtime ------------------------------------------------------------------

podman_runs() { # podman_runs NAME RUNTIME RECORD COUNT
  local i s e
  for ((i = 0; i < $4; i++)); do
    s=$EPOCHREALTIME
    BENCH_PODMAN_RUNTIME=$2 bench_podman "$WORK" run --rm --network none --ulimit nofile=20000:20000 \
      --ulimit nproc=32768:32768 localhost/jocker-bench-busybox true >/dev/null
    e=$EPOCHREALTIME
    [ "$3" = 0 ] || echo $((${e/./} - ${s/./})) >>"$WORK/samples/$1.podman-run"
  done
}
if [ "$PODMAN_RUNS" != 0 ]; then
  tar -C "$WORK/true/rootfs" -cf "$WORK/busybox.tar" .
  bench_podman "$WORK" import "$WORK/busybox.tar" localhost/jocker-bench-busybox >/dev/null
  # podman starts the runtime with its own environment: this run's engine goes in a wrapper
  printf '#!/bin/sh\nJOCKER_ENGINE_SOCKET=%s exec %s "$@"\n' "$JOCKER_ENGINE_SOCKET" "$JOCKER" >"$WORK/jocker-runtime"
  chmod +x "$WORK/jocker-runtime"
  log "podman: 2 warmups, then $PODMAN_RUNS runs per runtime, interleaved"
  for rt in runc "$WORK/jocker-runtime"; do podman_runs x "$rt" 0 2; done
  for ((i = 0; i < PODMAN_RUNS; i++)); do
    podman_runs runc runc 1 1
    podman_runs jocker "$WORK/jocker-runtime" 1 1
  done
fi

# ---- summary -----------------------------------------------------------------------------------

{
  echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $(runc --version | head -1); $(crun --version | head -1); $(podman --version)"
  [ "$CRUN_IN_NS" = 0 ] || echo "# crun in a private mount namespace without the cgroup2 mount (it refuses this hybrid host)"
  for cmd in create start state exec kill delete run podman-run; do
    for rt in runc crun jocker; do
      [ -s "$WORK/samples/$rt.$cmd" ] && bench_summarize "$rt.$cmd" "$WORK/samples/$rt.$cmd"
    done
  done
} >"$WORK/summary"
{
  cat "$WORK/summary"
  echo "# median ratios (jocker / runc, jocker / crun; below 1 is faster)"
  awk '/^RESULT/ { split($2, n, "[=.]"); rt = n[2]; cmd = substr($2, length("name=" rt ".") + 1)
                   split($4, m, "="); med[rt, cmd] = m[2]; if (!(cmd in seen)) { seen[cmd] = 1; order[++k] = cmd } }
       END { for (i = 1; i <= k; i++) { c = order[i]
               line = sprintf("RATIO %-10s jocker/runc=%.2f", c, med["jocker", c] / med["runc", c])
               if (med["crun", c] > 0) line = line sprintf(" jocker/crun=%.2f", med["jocker", c] / med["crun", c])
               print line } }' "$WORK/summary"
} | tee "${OUTPUT:-/dev/null}"
