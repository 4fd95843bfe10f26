# Shared by the bench scripts (sourced, not run): building the Java side they drive, and removing
# what a run left in the kernel. Each function takes what it works on as arguments.

# Builds the launcher and MODULE with what it needs (skipping the tests).
bench_build() {
  local repo=$1 module=$2
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
