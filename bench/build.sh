#!/usr/bin/env bash
# Build benchmark: one multi-stage Dockerfile (several RUN, a COPY of a context with thousands of
# files) built by `jocker build` (through ./jocker's warm resident engine), `podman build` and
# `buildah bud --layers` (Debian's; both on runc) on the same context, each in storage of its own:
# cold (empty cache, busybox present), warm unchanged (-n times, median), and warm with one source
# file changed (-n times, each a new change, median); "cold" for Jocker is an empty cache on an
# engine that built once before (that first build is timed apart). Every RUN has --network none.
# It checks that Jocker's one-file-changed rebuild reran only the steps after that COPY (CACHED
# before it).
#
# usage: sudo bench/build.sh [-n RUNS] [-f FILES] [-o OUTPUT]
#   -n  warm builds of each kind per contender (default 5)
#   -f  files in the context (default 3000, in 30 directories)
#   -o  also write the summary to this file
#
# Needs root, podman, buildah, runc and a built project (./jocker builds it on first use).
# Everything lives under one mktemp directory (Jocker's root and engine socket, podman's and
# buildah's storage); a trap stops the engine and removes it all, also after a failure or Ctrl-C.
set -euo pipefail

RUNS=5 FILES=3000 OUTPUT=
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -f FILES -o OUTPUT" "$@"
bench_need "$0" "builds run containers: namespaces, cgroups and mounts" podman buildah runc

WORK=$(mktemp -d /tmp/jocker-build-bench.XXXXXX)
JROOT=$WORK/jocker
export JOCKER_ENGINE_SOCKET=$WORK/engine/engine.sock  # this run's own engine
unset JOCKER_NO_ENGINE
PODMAN_HAD_CGROUPS=$(bench_podman_cgroups)
log() { printf '%s\n' "$*" >&2; }
jocker() { "$REPO/jocker" --root "$JROOT" --bridge none "$@"; }
podman_() { bench_podman "$WORK" "$@"; }
buildah_() {
  buildah --root "$WORK/buildah/storage" --runroot "$WORK/buildah/run" --storage-driver overlay "$@"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  "$REPO/jocker" engine stop >/dev/null 2>&1
  buildah_ rm -a >/dev/null 2>&1
  buildah_ rmi -af >/dev/null 2>&1
  bench_remove_podman "$WORK" "$PODMAN_HAD_CGROUPS"
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

# ---- the context ---------------------------------------------------------------------------------

CTX=$WORK/context
mkdir -p "$CTX/src"
for ((d = 0; d < 30; d++)); do
  mkdir -p "$CTX/src/d$d"
  for ((f = 0; f < FILES / 30; f++)); do
    printf 'package d%d; // file %d\n%s\n' "$d" "$f" "$(head -c 300 /dev/zero | tr '\0' x)" >"$CTX/src/d$d/f$f.txt"
  done
done
cat >"$CTX/Dockerfile" <<'DOCKERFILE'
FROM busybox AS build
RUN echo toolchain > /toolchain && mkdir -p /out
WORKDIR /src
COPY src/ ./
RUN find . -type f | wc -l > /out/count
RUN cat $(find . -name '*.txt' | sort) | md5sum > /out/sum
RUN tar -cf /out/app.tar .

FROM busybox
RUN echo runtime > /runtime
COPY --from=build /out/ /app/
RUN cd /app && tar -xf app.tar && rm app.tar
CMD ["cat", "/app/sum"]
DOCKERFILE

log "preparing busybox for jocker, podman and buildah in $WORK..."
cid=$(JOCKER_NO_ENGINE=1 jocker create busybox)   # makes the built-in busybox (and builds ./jocker if needed)
JOCKER_NO_ENGINE=1 jocker rm "$cid" >/dev/null
JOCKER_NO_ENGINE=1 jocker save -o "$WORK/busybox.tar" busybox
jocker images -q >/dev/null                        # starts the resident engine
podman_ load -q -i "$WORK/busybox.tar" >/dev/null
buildah_ pull -q docker-archive:"$WORK/busybox.tar" >/dev/null
buildah_ tag "$(buildah_ images -q | head -1)" docker.io/library/busybox:latest

# ---- the builds ----------------------------------------------------------------------------------

build_jocker() { jocker build --network none --progress=plain -t bench "$CTX" 2>"$WORK/jocker.out" >/dev/null; }
build_podman() { podman_ build --network none --runtime runc --cgroup-manager cgroupfs -q -t bench "$CTX" >/dev/null 2>&1; }
build_buildah() { buildah_ bud --layers --network none --runtime runc -q -t bench "$CTX" >/dev/null 2>&1; }

# timed NAME KIND CMD...: runs CMD, appends its milliseconds to WORK/NAME-KIND
timed() {
  local name=$1 kind=$2 s e
  shift 2
  s=$EPOCHREALTIME
  "$@"
  e=$EPOCHREALTIME
  echo $(((${e/./} - ${s/./}) / 1000)) >>"$WORK/$name-$kind"
}
median() { sort -n "$WORK/$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# The engine's first build also warms its JIT: timed apart (a fresh engine), on a copy of the
# context, then its image and cache removed, so that "cold" is an empty cache on a warm engine.
cp -a "$CTX" "$WORK/warmup"
timed jocker fresh jocker build --network none -q --iidfile "$WORK/warmup.id" "$WORK/warmup" >/dev/null
jocker rmi "$(cat "$WORK/warmup.id")" >/dev/null
jocker builder prune -a -f >/dev/null

CONTENDERS=(jocker podman buildah)
for c in "${CONTENDERS[@]}"; do
  log "cold: $c"
  timed "$c" cold "build_$c"
done
changed_ran=() changed_cached=()
for ((i = 0; i < RUNS; i++)); do
  for c in "${CONTENDERS[@]}"; do
    timed "$c" warm "build_$c"
  done
  printf '%s\n' "// change $i" >>"$CTX/src/d7/f3.txt"
  for c in "${CONTENDERS[@]}"; do
    timed "$c" changed "build_$c"
    if [ "$c" = jocker ]; then
      changed_cached+=("$(grep -c ' CACHED$' "$WORK/jocker.out")")
      changed_ran+=("$(grep -c ' DONE ' "$WORK/jocker.out")")
    fi
  done
  log "round $((i + 1))/$RUNS done"
done
# the last changed build: which numbered steps were cached, which ran
jocker_steps=$(awk '/^#[0-9]+ \[/ { name[$1] = substr($0, index($0, " ") + 1) }
  / CACHED$/ { printf "%s CACHED; ", name[$1] } / DONE / && ($1 in name) && name[$1] ~ /^\[/ { printf "%s ran; ", name[$1] }' \
  "$WORK/jocker.out")

# ---- summary -------------------------------------------------------------------------------------

{
  echo "build.sh -n $RUNS -f $FILES, $(date -u '+%Y-%m-%d %H:%M') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
  echo "podman $(podman --version | awk '{print $3}'), buildah $(buildah --version | awk '{print $3}')"
  echo
  echo "| ms | cold | warm, unchanged (median of $RUNS) | warm, one file changed (median of $RUNS) |"
  echo "| --- | ---: | ---: | ---: |"
  for c in "${CONTENDERS[@]}"; do
    echo "| $c | $(median "$c-cold") | $(median "$c-warm") | $(median "$c-changed") |"
  done
  echo
  echo "Jocker's first build in a fresh engine (its JIT cold, on a copy of the context): $(median jocker-fresh) ms."
  echo "Jocker's one-file-changed rebuilds: steps cached ${changed_cached[*]}, steps run ${changed_ran[*]} (DONE lines, internal steps included)."
  echo "The last one: $jocker_steps"
} | tee ${OUTPUT:+"$OUTPUT"}
