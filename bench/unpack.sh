#!/usr/bin/env bash
# Layer unpack benchmark: the same ~500 MB image of 5 layers (many small files, from the host's
# /usr/share) unpacked side by side, with the page cache dropped before every run, by
#   tar-gzip    sequential `tar -xzf` of the gzip layers into one directory
#   tar-zstd    sequential `zstd -dc LAYER | tar -x` of the zstd layers
#   umoci       `umoci unpack` of the gzip OCI image
#   jocker      ImageService.unpack (each layer into its own overlay snapshot, digests checked),
#               in a JVM, after a `load` of the gzip OCI archive that is not timed
#   jocker-c1   the same with the JVM options ./jocker gives its engine (C1 only, serial GC)
# Reports the median of RUNS runs of each and the ratios to tar-gzip.
#
# usage: sudo bench/unpack.sh [-n RUNS] [-d CACHE_DIR] [-o OUTPUT] [--no-build]
#   -n  runs per tool (default 3)
#   -d  where the image is built once and kept (default /tmp/jocker-unpack-bench)
#   -o  also write the summary to this file
# Needs root (drop_caches, umoci unpack as root), tar, gzip, zstd, umoci, a JDK 25, Maven offline.
set -euo pipefail

RUNS=3 CACHE=/tmp/jocker-unpack-bench OUTPUT= BUILD=1
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-n RUNS -d CACHE -o OUTPUT --no-build BUILD=0" "$@"
bench_need "$0" "drop_caches" tar gzip zstd umoci java javac mvn
WORK=$(mktemp -d /tmp/jocker-unpack.XXXXXX)
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup
log() { printf '%s\n' "$*" >&2; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# ---- the image, built once ----------------------------------------------------------------------

LAYERS=("doc" "locale" "man vim" "perl icons i18n" "cmake-3.25 java fonts zoneinfo terminfo")
if [ ! -f "$CACHE/done" ]; then
  log "building the image under $CACHE (once)..."
  rm -rf "$CACHE"; mkdir -p "$CACHE/layers"
  umoci init --layout "$CACHE/oci"
  umoci new --image "$CACHE/oci:bench"
  for i in "${!LAYERS[@]}"; do
    dirs=()
    for d in ${LAYERS[$i]}; do [ -e "/usr/share/$d" ] && dirs+=("usr/share/$d"); done
    tar -C / --owner=0 --group=0 -cf "$CACHE/layers/$i.tar" "${dirs[@]}"
    gzip -c "$CACHE/layers/$i.tar" > "$CACHE/layers/$i.tar.gz"
    zstd -q -T0 "$CACHE/layers/$i.tar" -o "$CACHE/layers/$i.tar.zst"
    umoci raw add-layer --image "$CACHE/oci:bench" "$CACHE/layers/$i.tar"
    rm "$CACHE/layers/$i.tar"
  done
  (cd "$CACHE/oci" && tar -cf "$CACHE/oci.tar" .)
  touch "$CACHE/done"
fi
RAW_MB=$(du -sm --apparent-size "$CACHE/oci/blobs" | cut -f1)
GZ_MB=$(du -cm --apparent-size "$CACHE"/layers/*.tar.gz | tail -1 | cut -f1)
ZST_MB=$(du -cm --apparent-size "$CACHE"/layers/*.tar.zst | tail -1 | cut -f1)
TREE_MB=0 FILES=0

# ---- build the Java main ------------------------------------------------------------------------

if [ "$BUILD" = 1 ]; then
  log "building images..."
  (cd "$REPO" && mvn -q -B -o -pl images -am compile >&2)
fi
CP=$(bench_java_classpath "$REPO" images "$WORK" "$WORK/classes" UnpackBench)
JAVA=(java --enable-native-access=ALL-UNNAMED -cp "$CP")
JAVA_C1=(java --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$CP")

# ---- runs ---------------------------------------------------------------------------------------

ms() { echo $(( (${2/./} - ${1/./}) / 1000 )); }
for ((r = 0; r < RUNS; r++)); do
  log "run $((r + 1))/$RUNS"
  out=$WORK/out; rm -rf "$out"; mkdir "$out"; drop
  s=$EPOCHREALTIME; for i in "${!LAYERS[@]}"; do tar -xzf "$CACHE/layers/$i.tar.gz" -C "$out"; done; e=$EPOCHREALTIME
  echo "$(ms "$s" "$e")" >> "$WORK/s.tar-gzip"
  if [ "$TREE_MB" = 0 ]; then TREE_MB=$(du -sm "$out" | cut -f1); FILES=$(find "$out" | wc -l); fi
  rm -rf "$out"; mkdir "$out"; drop
  s=$EPOCHREALTIME; for i in "${!LAYERS[@]}"; do zstd -q -dc "$CACHE/layers/$i.tar.zst" | tar -x -C "$out"; done; e=$EPOCHREALTIME
  echo "$(ms "$s" "$e")" >> "$WORK/s.tar-zstd"
  rm -rf "$out"; drop
  s=$EPOCHREALTIME; umoci unpack --image "$CACHE/oci:bench" "$out" >/dev/null; e=$EPOCHREALTIME
  echo "$(ms "$s" "$e")" >> "$WORK/s.umoci"
  rm -rf "$out" "$WORK/jroot"
  "${JAVA[@]}" org.jocker.bench.UnpackBench "$WORK/jroot" "$CACHE/oci.tar" \
    | awk '$1 == "RESULT" { sub("ms=", "", $3); print $3 }' >> "$WORK/s.jocker"
  rm -rf "$WORK/jroot"
  "${JAVA_C1[@]}" org.jocker.bench.UnpackBench "$WORK/jroot" "$CACHE/oci.tar" jocker-c1 \
    | awk '$1 == "RESULT" { sub("ms=", "", $3); print $3 }' >> "$WORK/s.jocker-c1"
  rm -rf "$WORK/jroot"
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
  echo "# layer unpack benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cpus, $(uname -r), $(umoci --version)"
  echo "# image: ${#LAYERS[@]} layers from /usr/share, $FILES files, $TREE_MB MB unpacked; OCI blobs (umoci gzip) $RAW_MB MB,"
  echo "# gzip layers $GZ_MB MB, zstd layers $ZST_MB MB; page cache dropped before every run; medians of $RUNS runs"
  base=$(median "$WORK/s.tar-gzip")
  printf '%-10s %10s %10s %s\n' tool median_ms x_tar_gz "runs_ms"
  for name in tar-gzip tar-zstd umoci jocker jocker-c1; do
    m=$(median "$WORK/s.$name")
    printf '%-10s %10s %10s %s\n' "$name" "$m" "$(awk -v m="$m" -v b="$base" 'BEGIN { printf "%.2f", m / b }')" \
      "$(paste -sd, "$WORK/s.$name")"
  done
} > "$WORK/summary.txt"
cat "$WORK/summary.txt"
[ -z "$OUTPUT" ] || cp "$WORK/summary.txt" "$OUTPUT"
