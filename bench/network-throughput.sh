#!/usr/bin/env bash
# TCP throughput through Jocker's networking against a bare veth pair (docs/benchmarks.md,
# "Networking"), with Debian's iperf3 run in the containers' network namespaces (nsenter into
# the namespace file the engine binds; busybox has no iperf3):
#   - container to container on the default bridge, against two namespaces joined by one veth pair;
#   - the host to a published port (127.0.0.1:HOSTPORT, portmap's DNAT), against the host to the
#     address of a namespace at the end of a veth pair.
# The script runs in a network namespace of its own (it executes itself again under
# `unshare --net`), so the traffic never leaves it and the host's network is never touched.
#
# usage: sudo bench/network-throughput.sh [-t SECONDS] [-r REPEATS]
#   -t  seconds per iperf3 run (default 5)     -r  runs of each, alternating (default 3; medians)
set -euo pipefail

SECONDS_PER_RUN=5 REPEATS=3
REPO=$(cd "$(dirname "$0")/.." && pwd)
. "$REPO/bench/lib.sh"
bench_options "$0" "-t SECONDS_PER_RUN -r REPEATS" "$@"
bench_need "$0" "network namespaces and containers" iperf3 nsenter unshare jq
bench_own_network_namespace "$0" "$@"

WORK=$(mktemp -d /tmp/jocker-network-throughput.XXXXXX)
JROOT=$WORK/jocker
export JOCKER_ENGINE_SOCKET=$WORK/engine/engine.sock
unset JOCKER_NO_ENGINE
log() { printf '%s\n' "$*" >&2; }
jocker() { "$REPO/jocker" --root "$JROOT" "$@"; }
cleanup() {
  local rc=$? id
  trap - EXIT INT TERM
  set +e
  pkill -f "iperf3 -s -p 520[12]" 2>/dev/null
  for id in $(jocker ps -aq --no-trunc 2>/dev/null); do jocker rm -f "$id" >/dev/null 2>&1; done
  "$REPO/jocker" engine stop >/dev/null 2>&1
  ip netns del jbench-a 2>/dev/null
  ip netns del jbench-b 2>/dev/null
  ip netns del jbench-h 2>/dev/null
  bench_remove_work "$WORK"
  exit "$rc"
}
bench_on_exit cleanup

# The baseline: namespaces a and b, one veth pair, 10.250.0.1 and .2.
ip netns add jbench-a
ip netns add jbench-b
ip link add jbv-a netns jbench-a type veth peer name jbv-b netns jbench-b
ip -n jbench-a addr add 10.250.0.1/24 dev jbv-a
ip -n jbench-b addr add 10.250.0.2/24 dev jbv-b
ip -n jbench-a link set jbv-a up
ip -n jbench-b link set jbv-b up
ip -n jbench-a link set lo up
ip -n jbench-b link set lo up
# The host's end of a bare pair: the host (this namespace) to jbench-h at 10.251.0.2.
ip netns add jbench-h
ip link add jbv-h type veth peer name jbv-hc netns jbench-h
ip addr add 10.251.0.1/24 dev jbv-h
ip link set jbv-h up
ip -n jbench-h addr add 10.251.0.2/24 dev jbv-hc
ip -n jbench-h link set jbv-hc up

log "starting two containers on the default bridge (one publishing port 5202)..."
jocker run -d --name srv -p 127.0.0.1:15202:5202 busybox sleep 3600 >/dev/null
jocker run -d --name cli busybox sleep 3600 >/dev/null
netns_of() { jocker inspect -f '{{.NetworkSettings.SandboxKey}}' "$1"; }
srv_ns=$(netns_of srv)
cli_ns=$(netns_of cli)
srv_ip=$(jocker inspect -f '{{.NetworkSettings.IPAddress}}' srv)

# Servers: in the container srv (5201 for containers, 5202 behind the published port) and at the
# far ends of the bare pairs.
nsenter --net="$srv_ns" iperf3 -s -p 5201 -D
nsenter --net="$srv_ns" iperf3 -s -p 5202 -D
ip netns exec jbench-a iperf3 -s -p 5201 -D
ip netns exec jbench-h iperf3 -s -p 5202 -D
sleep 0.5

gbits() { jq -r '.end.sum_received.bits_per_second / 1e9'; }
declare -A RESULTS
measure() { # measure NAME CMD...: one iperf3 client run, Gbit/s appended to NAME's results
  local name=$1
  shift
  RESULTS[$name]+="$("$@" -t "$SECONDS_PER_RUN" -J | gbits) "
}
for ((i = 0; i < REPEATS; i++)); do
  log "round $((i + 1)) of $REPEATS..."
  measure bare-pair ip netns exec jbench-b iperf3 -c 10.250.0.1 -p 5201
  measure containers nsenter --net="$cli_ns" iperf3 -c "$srv_ip" -p 5201
  measure bare-host iperf3 -c 10.251.0.2 -p 5202
  measure published iperf3 -c 127.0.0.1 -p 15202
done

median() { tr ' ' '\n' <<<"${RESULTS[$1]}" | grep . | sort -g | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]}'; }
echo "| path | Gbit/s (median of $REPEATS) | its baseline | ratio |"
echo "|---|---|---|---|"
b=$(median bare-pair) c=$(median containers) h=$(median bare-host) p=$(median published)
echo "| container to container, default bridge | $c | bare veth pair: $b | $(awk -v x="$c" -v y="$b" 'BEGIN{printf "%.2f", x/y}') |"
echo "| host to published port 127.0.0.1:15202 | $p | host to a bare veth peer: $h | $(awk -v x="$p" -v y="$h" 'BEGIN{printf "%.2f", x/y}') |"
echo "(iperf3 -t $SECONDS_PER_RUN, load $(cut -d' ' -f1 /proc/loadavg))"
