#!/usr/bin/env bash
# Pull benchmark: a large image from a registry on 127.0.0.1 (Debian's docker-registry, started
# here), pulled side by side with the page cache dropped before every run, once with gzip and once
# with zstd layers:
#   tar        the floor: the layers' blobs read from the registry's storage and unpacked one
#              after the other (`tar -xzf`, `zstd -dc | tar -x`) into one directory
#   skopeo     `skopeo copy` to an OCI layout, then `umoci unpack` (gzip only: umoci 0.4 cannot
#              read zstd layers)
#   podman     `podman pull` into a storage of its own
#   jocker     `jocker pull` through this checkout's resident engine, into a root of its own
# Reports the median of RUNS runs of each, and ratios to podman and to tar.
#
# The image: debootstrap's minbase Debian 12 plus python3, gcc, g++, git and perl's docs, one
# layer per step (6 layers), built once with umoci from the Debian mirror into CACHE_DIR and
# pushed to the cached registry storage there with skopeo (gzip as umoci writes it; zstd by skopeo
# from the layers decompressed).
#
# usage: sudo bench/pull.sh [-n RUNS] [-d CACHE_DIR] [-o OUTPUT] [--only TOOLS]
#   -n      runs per tool and compression (default 3)
#   -d      where the image and the registry's storage are kept (default /tmp/jocker-pull-bench)
#   -o      also write the summary to this file
#   --only  a comma-separated subset of tar,skopeo,podman,jocker (default all)
# Needs root (drop_caches, debootstrap, chroot), debootstrap, umoci, skopeo, podman, zstd,
# docker-registry, jq and a built project (./jocker builds it on first use).
set -euo pipefail

RUNS=3 CACHE=/tmp/jocker-pull-bench OUTPUT= ONLY=tar,skopeo,podman,jocker
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -d CACHE -o OUTPUT --only ONLY" "$@"
bench_need "$0" "drop_caches, debootstrap" debootstrap umoci skopeo podman zstd docker-registry jq

WORK=$(mktemp -d /tmp/jocker-pull.XXXXXX)
export JOCKER_ENGINE_SOCKET=$WORK/engine/engine.sock  # this run's own engine
unset JOCKER_NO_ENGINE
PODMAN_HAD_CGROUPS=$(bench_podman_cgroups)
REGISTRY_PID=
log() { printf '%s\n' "$*" >&2; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
jocker() { "$REPO/jocker" --root "$WORK/jocker" "$@"; }
wanted() { [[ ",$ONLY," == *",$1,"* ]]; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  "$REPO/jocker" engine stop >/dev/null 2>&1
  [ -z "$REGISTRY_PID" ] || { kill "$REGISTRY_PID"; wait "$REGISTRY_PID"; } 2>/dev/null
  bench_remove_podman "$WORK" "$PODMAN_HAD_CGROUPS"
  grep -F "$CACHE/build" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

# ---- the registry (its storage cached) ----------------------------------------------------------

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REGISTRY=127.0.0.1:$PORT
mkdir -p "$CACHE/registry"
cat > "$WORK/registry.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $CACHE/registry
http:
  addr: $REGISTRY
EOF
docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
REGISTRY_PID=$!
until curl -s -o /dev/null "http://$REGISTRY/v2/"; do
  kill -0 "$REGISTRY_PID" 2>/dev/null || { cat "$WORK/registry.log" >&2; exit 1; }
  sleep 0.1
done

# ---- the image, built and pushed once -----------------------------------------------------------

STEPS=("python3" "gcc" "g++ make" "git" "perl-doc")
if [ ! -f "$CACHE/done" ]; then
  log "building the image under $CACHE (once; downloads from the Debian mirror)..."
  rm -rf "$CACHE/oci" "$CACHE/build"
  umoci init --layout "$CACHE/oci"
  umoci new --image "$CACHE/oci:bench"
  umoci unpack --image "$CACHE/oci:bench" "$CACHE/build" >/dev/null
  root=$CACHE/build/rootfs
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >&2
  umoci repack --refresh-bundle --image "$CACHE/oci:bench" "$CACHE/build"
  for step in "${STEPS[@]}"; do
    mount -t proc proc "$root/proc"
    [ -n "$(ls "$root/var/lib/apt/lists" | grep -v -e lock -e partial)" ] || chroot "$root" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends $step >&2
    chroot "$root" apt-get clean
    umount "$root/proc"
    umoci repack --refresh-bundle --image "$CACHE/oci:bench" "$CACHE/build"
  done
  umoci config --image "$CACHE/oci:bench" --config.cmd /bin/bash
  umoci gc --layout "$CACHE/oci"
  rm -rf "$CACHE/build"
  skopeo copy -q --dest-tls-verify=false "oci:$CACHE/oci:bench" "docker://$REGISTRY/bench:gzip"
  # skopeo keeps compressed blobs as they are: from uncompressed ones it makes zstd
  skopeo copy -q --dest-decompress "oci:$CACHE/oci:bench" "dir:$WORK/raw"
  skopeo copy -q --dest-tls-verify=false --format oci --dest-compress-format zstd "dir:$WORK/raw" \
    "docker://$REGISTRY/bench:zstd"
  rm -rf "$WORK/raw"
  touch "$CACHE/done"
fi

# The layers of a tag, as the registry stores them, for the tar floor.
layer_blobs() {
  skopeo inspect --raw --tls-verify=false "docker://$REGISTRY/bench:$1" | jq -r '.layers[].digest' |
    while read -r digest; do
      hex=${digest#sha256:}
      echo "$CACHE/registry/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data"
    done
}
for tag in gzip zstd; do
  layer_blobs "$tag" > "$WORK/layers.$tag"
  [ "$(wc -l < "$WORK/layers.$tag")" -gt 0 ] || { echo "bench/pull.sh: no layers for bench:$tag" >&2; exit 1; }
done
SIZE_GZ=$(xargs du -cm --apparent-size < "$WORK/layers.gzip" | tail -1 | cut -f1)
SIZE_ZST=$(xargs du -cm --apparent-size < "$WORK/layers.zstd" | tail -1 | cut -f1)

# ---- runs ---------------------------------------------------------------------------------------

if wanted jocker; then
  jocker images >/dev/null  # builds the project if needed and starts the engine
fi
ms() { echo $(( (${2/./} - ${1/./}) / 1000 )); }
timed() {  # NAME COMMAND...: appends the time COMMAND takes, page cache dropped first
  local name=$1 s e
  shift
  drop
  s=$EPOCHREALTIME
  "$@" >/dev/null
  e=$EPOCHREALTIME
  ms "$s" "$e" >> "$WORK/s.$name"
}
untar_all() {  # TAG DIR
  local blob
  while read -r blob; do
    if [ "$1" = gzip ]; then tar -xzf "$blob" -C "$2"; else zstd -q -dc "$blob" | tar -x -C "$2"; fi
  done < "$WORK/layers.$1"
}
skopeo_umoci() {  # TAG
  skopeo copy -q --src-tls-verify=false "docker://$REGISTRY/bench:$1" "oci:$WORK/oci:bench"
  umoci unpack --image "$WORK/oci:bench" "$WORK/bundle"
}
for ((r = 0; r < RUNS; r++)); do
  for tag in gzip zstd; do
    log "run $((r + 1))/$RUNS, $tag"
    if wanted tar; then
      rm -rf "$WORK/out"; mkdir "$WORK/out"
      timed "tar-$tag" untar_all "$tag" "$WORK/out"
      rm -rf "$WORK/out"
    fi
    if wanted skopeo && [ "$tag" = gzip ]; then  # umoci 0.4 cannot read zstd layers
      rm -rf "$WORK/oci" "$WORK/bundle"
      timed "skopeo-$tag" skopeo_umoci "$tag"
      rm -rf "$WORK/oci" "$WORK/bundle"
    fi
    if wanted podman; then
      bench_podman "$WORK" rmi -af >/dev/null 2>&1 || true
      timed "podman-$tag" bench_podman "$WORK" pull -q --tls-verify=false "$REGISTRY/bench:$tag"
      bench_podman "$WORK" rmi -af >/dev/null 2>&1 || true
    fi
    if wanted jocker; then
      jocker rmi -f "$REGISTRY/bench:$tag" >/dev/null 2>&1 || true
      jocker image prune -af >/dev/null 2>&1 || true
      timed "jocker-$tag" jocker pull -q "$REGISTRY/bench:$tag"
      jocker rmi -f "$REGISTRY/bench:$tag" >/dev/null 2>&1 || true
      jocker image prune -af >/dev/null 2>&1 || true
    fi
  done
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }
{
  echo "# pull benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cpus, $(uname -r); $(podman --version), $(skopeo --version)"
  echo "# image: Debian 12 minbase + ${STEPS[*]}, $(wc -l < "$WORK/layers.gzip") layers: gzip $SIZE_GZ MB, zstd $SIZE_ZST MB;"
  echo "# registry on $REGISTRY; page cache dropped before every run; medians of $RUNS runs"
  printf '%-14s %10s %9s %9s %s\n' tool median_ms x_podman x_tar runs_ms
  for tag in gzip zstd; do
    podman_m=$( [ -s "$WORK/s.podman-$tag" ] && median "$WORK/s.podman-$tag" || echo 0)
    tar_m=$( [ -s "$WORK/s.tar-$tag" ] && median "$WORK/s.tar-$tag" || echo 0)
    for tool in tar skopeo podman jocker; do
      f=$WORK/s.$tool-$tag
      [ -s "$f" ] || continue
      m=$(median "$f")
      printf '%-14s %10s %9s %9s %s\n' "$tool-$tag" "$m" "$(ratio "$m" "$podman_m")" "$(ratio "$m" "$tar_m")" \
        "$(paste -sd, "$f")"
    done
  done
} > "$WORK/summary.txt"
cat "$WORK/summary.txt"
[ -z "$OUTPUT" ] || cp "$WORK/summary.txt" "$OUTPUT"
