# Shared by the bench scripts (sourced, not run): their options and preconditions, building the
# Java side they drive, podman in a corner of its own, and removing what a run left in the kernel.
# Each function takes what it works on as arguments.

# bench_options SCRIPT SPEC ARGS...: sets variables from the options in ARGS. SPEC pairs each
# option with the variable its value goes to ("-n RUNS"), or, for an option without a value, with
# VAR=VALUE ("--no-build BUILD=0"). -h and --help print SCRIPT's usage (its first comment) and exit.
bench_options() {
  local script=$1 i known
  local -a spec
  read -r -a spec <<<"$2"
  shift 2
  while [ $# -gt 0 ]; do
    if [ "$1" = -h ] || [ "$1" = --help ]; then
      awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$script"
      exit 0
    fi
    known=
    for ((i = 0; i < ${#spec[@]}; i += 2)); do
      [ "${spec[i]}" = "$1" ] || continue
      known=1
      if [[ ${spec[i + 1]} == *=* ]]; then
        printf -v "${spec[i + 1]%%=*}" %s "${spec[i + 1]#*=}"
        shift
      else
        [ $# -ge 2 ] || { echo "${script##*/}: $1 needs a value (see --help)" >&2; exit 2; }
        printf -v "${spec[i + 1]}" %s "$2"
        shift 2
      fi
      break
    done
    [ -n "$known" ] || { echo "${script##*/}: unknown option $1 (see --help)" >&2; exit 2; }
  done
}

# bench_need SCRIPT WHY TOOL...: stops SCRIPT unless it runs as root (WHY says what for) and finds
# every TOOL (a command, or a file such as /bin/busybox).
bench_need() {
  local script=${1##*/} why=$2 tool
  shift 2
  if [ "$(id -u)" != 0 ]; then
    echo "$script: must be run as root ($why)" >&2
    exit 1
  fi
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$script: $tool not found (see --help)" >&2; exit 1; }
  done
}

# Runs CLEANUP when the script ends, also after Ctrl-C (exit code 130) or a TERM (143).
bench_on_exit() {
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# Builds the launcher and MODULE with what it needs (skipping the tests).
bench_build() {
  local repo=$1 module=$2
  printf 'building the launcher and %s...\n' "$module" >&2
  make -s -C "$repo/launcher" >&2
  (cd "$repo" && mvn -q -B -o -pl "$module" -am package -DskipTests >&2)
}

# Prints the class path of MODULE's classes, the kernel module's and their runtime dependencies
# (Maven 3.8 resolves the reactor module only when it compiles in the same call). WORK holds the list.
bench_classpath() {
  local repo=$1 module=$2 work=$3
  (cd "$repo" && mvn -q -B -o -pl "kernel,$module" compile dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$work/deps.cp" >&2)
  printf '%s' "$repo/kernel/target/classes:$repo/$module/target/classes:$(cat "$work/deps.cp")"
}

# Compiles bench sources (bench/src/main/java/org/jocker/bench/NAME.java) into OUT against CP.
bench_compile() {
  local repo=$1 out=$2 cp=$3 name
  shift 3
  mkdir -p "$out"
  local sources=()
  for name in "$@"; do sources+=("$repo/bench/src/main/java/org/jocker/bench/$name.java"); done
  javac -d "$out" -cp "$cp" "${sources[@]}"
}

# bench_java_classpath REPO MODULE WORK OUT NAME...: compiles the bench sources NAME... into OUT
# against MODULE (see bench_classpath) and prints the class path that runs them.
bench_java_classpath() {
  local repo=$1 module=$2 work=$3 out=$4 cp
  shift 4
  cp=$(bench_classpath "$repo" "$module" "$work")
  bench_compile "$repo" "$out" "$cp" "$@"
  printf '%s' "$out:$cp"
}

# bench_podman WORK ARGS...: podman with its storage and state under WORK, on cgroupfs and runc
# (or the OCI runtime BENCH_PODMAN_RUNTIME names), so that it neither sees nor touches the host's
# containers and images.
bench_podman() {
  local work=$1
  shift
  podman --root "$work/podman/storage" --runroot "$work/podman/run" --cgroup-manager cgroupfs \
    --runtime "${BENCH_PODMAN_RUNTIME:-runc}" --events-backend file --storage-driver overlay "$@"
}

# bench_summarize NAME FILE: median/min/p90 of the microsecond samples in FILE (- for stdin), as a
# "RESULT name=NAME n=... median_ms=... min_ms=... p90_ms=..." line.
bench_summarize() {
  sort -n "$2" | awk -v name="$1" '
    { v[NR] = $1 }
    END { if (NR == 0) exit
          med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          p90 = v[int(0.9 * NR) + (0.9 * NR > int(0.9 * NR))]
          printf "RESULT name=%s n=%d median_ms=%.3f min_ms=%.3f p90_ms=%.3f\n", name, NR, med / 1000, v[1] / 1000, p90 / 1000 }'
}

# How many libpod_parent cgroups the host has: taken before podman runs, for bench_remove_podman.
bench_podman_cgroups() {
  (ls -d /sys/fs/cgroup/*/libpod_parent 2>/dev/null || true) | wc -l
}

# bench_remove_podman WORK HAD: removes bench_podman's containers and storage under WORK, and the
# libpod_parent cgroups podman made when the host had none before (HAD, from bench_podman_cgroups).
bench_remove_podman() {
  local work=$1 had=$2
  bench_podman "$work" rm -af -t 0 >/dev/null 2>&1
  bench_podman "$work" system reset -f >/dev/null 2>&1
  if [ "$had" = 0 ]; then
    find /sys/fs/cgroup/*/libpod_parent -depth -type d -exec rmdir {} \; 2>/dev/null
  fi
  return 0
}

# Kills what is still in the cgroups named TAG* (their monitors then record the exit and go),
# removes those cgroups deepest first, then the /jocker parents if the run left them empty.
bench_remove_cgroups() {
  local tag=$1 dir
  while read -r dir; do
    [ -n "$dir" ] || continue
    xargs -r kill -KILL <"$dir/cgroup.procs" 2>/dev/null
  done < <(find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name "$tag*" 2>/dev/null)
  sleep 0.2
  find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -depth -type d -name "$tag*" -exec rmdir {} \; 2>/dev/null
  for dir in /sys/fs/cgroup/*/jocker; do [ -d "$dir" ] && rmdir "$dir" 2>/dev/null; done
  return 0
}

# Unmounts everything mounted below WORK (deepest first) and removes WORK.
bench_remove_work() {
  local work=$1
  grep -F "$work" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$work"
}

# bench_own_network_namespace SCRIPT ARGS...: executes SCRIPT ARGS again under `unshare --net`
# unless this is that run already, then brings lo up: what the script's engines make in the
# network (bridges, veths, rules) goes away with the namespace, and the host's is never touched.
bench_own_network_namespace() {
  if [ -z "${JOCKER_BENCH_OWN_NETNS:-}" ]; then
    exec env JOCKER_BENCH_OWN_NETNS=1 unshare --net "$@"
  fi
  ip link set lo up
}
