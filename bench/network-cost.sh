#!/usr/bin/env bash
# What a bridge endpoint costs, step by step, as the engine runs them (docs/benchmarks.md,
# "Networking"): the named namespace (unshare --net=FILE ip link set lo up), each CNI plugin's ADD
# (bridge with host-local IPAM, portmap for one published port, firewall) and the DEL chain with
# the unmount. Everything happens in a network namespace this script makes and deletes (so the
# host's network is never touched), with a bridge and an IPAM directory of its own.
#
# usage: sudo bench/network-cost.sh [-n ROUNDS]     (medians in ms over the rounds)
set -euo pipefail
ROUNDS=10
while getopts n: o; do case $o in n) ROUNDS=$OPTARG ;; *) exit 2 ;; esac; done
NS=jocker-bench-$$
WORK=$(mktemp -d /tmp/jocker-network-bench.XXXXXX)
cleanup() {
  for f in "$WORK"/netns/*; do umount "$f" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
mkdir -p "$WORK/netns"

cat >"$WORK/steps.sh" <<'STEPS'
set -euo pipefail
WORK=$1 ROUNDS=$2 CNI=/usr/lib/cni
now() { date +%s%N; }
ms() { echo $((($(now) - $1) / 1000000)); }
cfg() { echo "{\"cniVersion\":\"1.0.0\",\"name\":\"bridge\",\"type\":\"$1\"$2}"; }
BR=',"bridge":"jbench0","isGateway":true,"ipMasq":true,"hairpinMode":true,"ipam":{"type":"host-local","dataDir":"'$WORK'/ipam","ranges":[[{"subnet":"172.17.0.0/16","gateway":"172.17.0.1"}]],"routes":[{"dst":"0.0.0.0/0"}]}'
PM=',"capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":18090,"containerPort":80,"protocol":"tcp","hostIP":"127.0.0.1"}]}'
ip link set lo up
for i in $(seq "$ROUNDS"); do
  f=$WORK/netns/c$i; touch "$f"
  t=$(now); unshare --net="$f" ip link set lo up; a=$(ms "$t")
  export CNI_COMMAND=ADD CNI_CONTAINERID=c$i CNI_NETNS=$f CNI_IFNAME=eth0 CNI_PATH=$CNI
  t=$(now); r=$(cfg bridge "$BR" | "$CNI/bridge"); b=$(ms "$t")
  t=$(now); cfg portmap "$PM,\"prevResult\":$r" | "$CNI/portmap" >/dev/null; p=$(ms "$t")
  t=$(now); cfg firewall ",\"prevResult\":$r" | "$CNI/firewall" >/dev/null; fw=$(ms "$t")
  export CNI_COMMAND=DEL
  t=$(now)
  cfg firewall ",\"prevResult\":$r" | "$CNI/firewall" >/dev/null
  cfg portmap "$PM,\"prevResult\":$r" | "$CNI/portmap" >/dev/null
  cfg bridge "$BR" | "$CNI/bridge" >/dev/null
  umount "$f"; rm -f "$f"
  d=$(ms "$t")
  echo "$a $b $p $fw $d"
done
STEPS

ip netns exec "$NS" bash "$WORK/steps.sh" "$WORK" "$ROUNDS" >"$WORK/times"
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "| step | median ms |"
echo "|---|---|"
i=1
for step in "namespace + lo (unshare, ip)" "bridge ADD (host-local)" "portmap ADD (1 port)" "firewall ADD" "DEL chain + unmount"; do
  echo "| $step | $(cut -d' ' -f$i "$WORK/times" | median) |"
  i=$((i + 1))
done
