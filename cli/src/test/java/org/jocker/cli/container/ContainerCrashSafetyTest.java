package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jocker.cli.testing.ContainerCgroups;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection: `jocker create`, `run -d`, `start`, `stop` and `rm -f` (alone, and two at once
 * on one container) killed with SIGKILL at random moments leave a consistent state: every listed
 * container is what the kernel says, nothing exists that is not listed (directories, runtime
 * state, rootfs mounts, active snapshots, cgroups, processes), and every command still works.
 *
 * <p>The kill moments are calibrated on the commands themselves rather than on time alone (which,
 * on a loaded machine, is mostly the JVM starting): a first, whole run of each counts the changes it
 * makes to the state and its duration; each trial then kills just after a random one of those
 * changes, or at a random time up to 1.2 times the whole run.
 */
class ContainerCrashSafetyTest {
  private static final long BUDGET_MILLIS = 40_000;
  private static final int MIN_TRIALS = 14;
  private static final int MAX_CONTAINERS = 3;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern OUR_PATH = Pattern.compile("/(?:containers|run)/([0-9a-f]{64})(?:/|$)");
  /** Stops at once on SIGTERM (a shell as pid 1 ignores it without a trap). */
  private static final String[] COMMAND = {"busybox", "sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};

  enum Op { CREATE, RUN, START, STOP, RM, START_AND_RM, STOP_AND_START }

  @TempDir Path tmp;
  private Jocker jocker;
  /** Every container id this test has seen: only their cgroups and processes are ours to judge. */
  private final Set<String> seen = new HashSet<>();
  private int names;

  @Test
  void killedLifecycleCommandsLeaveAConsistentState() throws Exception {
    jocker = new Jocker(tmp.resolve("root"));
    jocker.ok(create(nextName())); // provides and unpacks busybox outside the trials
    checkState("after the first create");
    Map<Op, Outcome> whole = calibrate();
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Map<Op, Integer> killed = new EnumMap<>(Op.class);
    long deadline = System.nanoTime() + BUDGET_MILLIS * 1_000_000;
    int trial = 0;
    for (; trial < MIN_TRIALS || System.nanoTime() < deadline; trial++) {
      Op op = choose(Op.values()[trial % Op.values().length]);
      String when = "trial " + trial + " (" + op + ", seed " + seed + ")";
      Set<String> before = listed().keySet();
      List<String> ids = new ArrayList<>(before);
      String target = ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
      killed.merge(op, runTrial(op, target, whole, random), Integer::sum);
      checkState(when);
      // What the trial touched must still work: a killed command's container is often removed
      // by a later trial before a check of all of them would see it.
      Set<String> touched = new HashSet<>(listed().keySet());
      touched.removeIf(id -> before.contains(id) && !id.equals(target));
      checkCommandsWork(when, touched);
    }
    System.out.printf("%d trials, killed %s, whole runs %s%n", trial, killed, whole);
    assertThat(killed.values().stream().mapToInt(Integer::intValue).sum()).as("commands killed")
        .isGreaterThanOrEqualTo(trial / 2);
    checkCommandsWork("the end", listed().keySet());
    for (String id : listed().keySet()) {
      jocker.ok("rm", "-f", id);
    }
    checkState("after removing all");
    assertThat(listed()).isEmpty();
    assertThat(ourCgroups()).isEmpty();
    assertThat(jocker.mountsLeft()).isEmpty();
    assertThat(children(jocker.root().resolve("containers"))).isEmpty();
    assertThat(children(jocker.root().resolve("run"))).isEmpty();
  }

  /**
   * Each command once, unkilled, as a process: how many changes of the state ({@link #snapshot})
   * it makes, i.e. how many phases a kill can fall between.
   */
  private Map<Op, Outcome> calibrate() throws Exception {
    Map<Op, Outcome> whole = new EnumMap<>(Op.class);
    String name = nextName();
    whole.put(Op.CREATE, runWhole(create(name)));
    whole.put(Op.START, runWhole("start", name));
    whole.put(Op.STOP, runWhole("stop", name));
    whole.put(Op.RM, runWhole("rm", "-f", name));
    whole.put(Op.RUN, runWhole(run(nextName())));
    whole.put(Op.START_AND_RM, whole.get(Op.START).plus(whole.get(Op.RM)));
    whole.put(Op.STOP_AND_START, whole.get(Op.STOP).plus(whole.get(Op.START)));
    return whole;
  }

  private Outcome runWhole(String... command) throws Exception {
    return runKilling(List.<String[]>of(command), new long[] {0}, new Random());
  }

  /** The operation, or another when there is no container to apply it to or too many. */
  private Op choose(Op op) {
    int count = listed().size();
    if (count == 0 && op != Op.CREATE && op != Op.RUN) {
      return Op.RUN;
    }
    if (count >= MAX_CONTAINERS && (op == Op.CREATE || op == Op.RUN)) {
      return Op.RM;
    }
    return op;
  }

  /** Runs the operation as jocker processes each killed at a random phase; returns how many were killed. */
  private int runTrial(Op op, String target, Map<Op, Outcome> whole, Random random) throws Exception {
    List<String[]> commands = switch (op) {
      case CREATE -> List.<String[]>of(create(nextName()));
      case RUN -> List.<String[]>of(run(nextName()));
      case START -> List.<String[]>of(new String[] {"start", target});
      case STOP -> List.<String[]>of(new String[] {"stop", target});
      case RM -> List.<String[]>of(new String[] {"rm", "-f", target});
      case START_AND_RM -> List.of(new String[] {"start", target}, new String[] {"rm", "-f", target});
      case STOP_AND_START -> List.of(new String[] {"stop", target}, new String[] {"start", target});
    };
    // At a random change, or (one time in changes + 1) at a random time up to 1.2 x a whole run:
    // that is where the kills between two changes of one phase fall (stop: after the signal).
    Outcome full = whole.get(op);
    long[] killAt = new long[commands.size()];
    for (int i = 0; i < killAt.length; i++) {
      int change = random.nextInt(full.changes() + 1);
      killAt[i] = change > 0 ? change : -1 - random.nextLong(full.millis() * 6 / 5 + 1);
    }
    return runKilling(commands, killAt, random).kills();
  }

  /** What a run of commands did: changes of the state seen, processes killed, time taken. */
  private record Outcome(int changes, int kills, long millis) {
    Outcome plus(Outcome other) {
      return new Outcome(changes + other.changes, kills + other.kills, Math.max(millis, other.millis));
    }
  }

  /**
   * Starts the commands at once and watches the state: command i is killed with SIGKILL a random
   * 0-2 ms after the killAt[i]-th change, or, if killAt[i] is negative, -1 - killAt[i] ms after its
   * start (0: never killed), unless it has ended. Changes are what the commands make (directories,
   * records, mounts, snapshots, runtime state, cgroups), so the kills fall between any two of them,
   * however slow the machine is today.
   */
  private Outcome runKilling(List<String[]> commands, long[] killAt, Random random) throws Exception {
    List<Process> processes = new ArrayList<>();
    for (String[] command : commands) {
      processes.add(jocker.process(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }
    long start = System.nanoTime();
    long deadline = start + 120_000_000_000L;
    String last = snapshot();
    int changes = 0;
    int kills = 0;
    while (processes.stream().anyMatch(Process::isAlive)) {
      assertThat(System.nanoTime()).as("commands %s still running", commands.size()).isLessThan(deadline);
      String now = snapshot();
      boolean changed = !now.equals(last);
      if (changed) {
        changes++;
        last = now;
      }
      long elapsed = (System.nanoTime() - start) / 1_000_000;
      for (int i = 0; i < processes.size(); i++) {
        boolean due = killAt[i] > 0 ? changed && killAt[i] == changes : killAt[i] < 0 && elapsed >= -1 - killAt[i];
        if (due && processes.get(i).isAlive()) {
          LockSupport.parkNanos(random.nextLong(2_000_000));
          processes.get(i).destroyForcibly(); // SIGKILL; the wrapper exec'd java: the jocker process
          kills++;
          killAt[i] = 0;
        }
      }
      LockSupport.parkNanos(1_000_000);
    }
    for (Process p : processes) {
      p.waitFor();
    }
    return new Outcome(changes, kills, (System.nanoTime() - start) / 1_000_000);
  }

  /** What the commands change, as text: container and runtime files, mounts, snapshots, cgroups. */
  private String snapshot() throws IOException {
    Path root = jocker.root();
    StringBuilder s = new StringBuilder();
    Set<String> ids = new TreeSet<>(children(root.resolve("run")));
    for (String id : children(root.resolve("containers"))) {
      seen.add(id);
      ids.add(id);
      Path dir = root.resolve("containers/" + id);
      s.append(id).append(Files.exists(dir.resolve("container.json"))).append(Files.exists(dir.resolve("bundle/config.json")));
    }
    s.append('|');
    for (String id : children(root.resolve("run"))) {
      Path dir = root.resolve("run/" + id);
      s.append(id).append(Files.exists(dir.resolve("config.json"))).append(Files.exists(dir.resolve("state.json")))
          .append(Files.exists(dir.resolve("exit")));
    }
    s.append('|').append(jocker.mountsLeft()).append('|');
    // One hierarchy is enough to see a cgroup made or removed; all of them would slow the watch.
    Path hierarchy = ContainerCgroups.hierarchies().getFirst();
    for (String id : ids) {
      s.append(Files.isDirectory(hierarchy.resolve("jocker/" + id)) ? 'c' : '-');
    }
    s.append('|');
    Path snapshots = root.resolve("snapshots/snapshots");
    if (Files.isDirectory(snapshots)) {
      try (Stream<Path> list = Files.list(snapshots)) {
        list.map(p -> p.getFileName().toString()).sorted().forEach(n -> s.append(n).append(','));
      }
    }
    return s.toString();
  }

  private String[] create(String name) {
    return Stream.concat(Stream.of("create", "--name", name), Stream.of(COMMAND)).toArray(String[]::new);
  }

  private String[] run(String name) {
    return Stream.concat(Stream.of("run", "-d", "--name", name), Stream.of(COMMAND)).toArray(String[]::new);
  }

  private String nextName() {
    return "crash" + names++;
  }

  /** id → status of every container `ps -a` lists, each checked with inspect. */
  private Map<String, String> listed() {
    Map<String, String> all = new LinkedHashMap<>();
    for (String id : jocker.ok("ps", "-aq", "--no-trunc").out().lines().toList()) {
      String[] state = jocker.ok("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", id).out().strip().split(" ");
      all.put(id, state[0] + " " + state[1]);
    }
    seen.addAll(all.keySet());
    return all;
  }

  /** The invariants that must hold after any kill (the listing runs first: it may clean leftovers). */
  private void checkState(String when) throws Exception {
    Path root = jocker.root();
    children(root.resolve("containers")).forEach(seen::add);
    children(root.resolve("run")).forEach(seen::add);
    Map<String, String> listed = listed();
    for (Map.Entry<String, String> e : listed.entrySet()) {
      String id = e.getKey();
      String[] state = e.getValue().split(" ");
      int pid = Integer.parseInt(state[1]);
      switch (state[0]) {
        case "running", "paused" -> assertThat(alive(pid)).as("%s: %s is %s with pid %d", when, id, state[0], pid).isTrue();
        case "exited", "created" -> {
          assertThat(pid).as("%s: pid of %s %s", when, state[0], id).isZero();
          if (state[0].equals("exited")) {
            assertThat(processesIn(id)).as("%s: processes of exited %s", when, id).isEmpty();
          }
        }
        default -> throw new AssertionError(when + ": " + id + " is " + state[0]);
      }
      assertThat(root.resolve("containers/" + id + "/container.json")).as(when).isRegularFile();
    }
    assertThat(children(root.resolve("containers"))).as("%s: container directories", when)
        .isSubsetOf(listed.keySet());
    assertThat(children(root.resolve("run"))).as("%s: runtime state", when).isSubsetOf(listed.keySet());
    for (String mount : jocker.mountsLeft()) {
      Matcher m = Pattern.compile(Pattern.quote(root + "/containers/") + "([0-9a-f]{64})/bundle/rootfs|"
          + Pattern.quote(root + "/network/netns/") + "([0-9a-f]{64})").matcher(mount);
      assertThat(m.matches() && listed.containsKey(m.group(1) != null ? m.group(1) : m.group(2)))
          .as("%s: mount %s", when, mount).isTrue();
    }
    assertThat(activeSnapshots()).as("%s: active snapshots", when).isSubsetOf(listed.keySet());
    for (Path cgroup : ourCgroups()) {
      String id = cgroup.getFileName().toString();
      assertThat(listed).as("%s: cgroup %s", when, cgroup).containsKey(id);
    }
    awaitNoStrayProcess(when, listed);
  }

  /** Processes of a killed command's launch may need a moment to notice and end. */
  private void awaitNoStrayProcess(String when, Map<String, String> listed) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      Map<Long, String> stray = new LinkedHashMap<>();
      ourProcesses().forEach((pid, id) -> {
        String status = listed.get(id);
        // A created container has processes only if the runtime made it (a start killed before the
        // monitor's "start"): an init waiting for it, which the next start or rm replaces.
        boolean waiting = status != null && status.startsWith("created")
            && Files.exists(jocker.root().resolve("run/" + id + "/state.json"));
        if (status == null || status.startsWith("exited") || status.startsWith("created") && !waiting) {
          stray.put(pid, id + " (" + (status == null ? "not listed" : status) + ")");
        }
      });
      if (stray.isEmpty()) {
        return;
      }
      assertThat(System.nanoTime()).as("%s: stray processes %s", when, stray).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Start and stop (or stop and start, if running) of each of the containers, which end as they began. */
  private void checkCommandsWork(String when, Set<String> ids) throws Exception {
    for (String id : ids) {
      boolean running = jocker.ok("inspect", "-f", "{{.State.Status}}", id).out().strip().equals("running");
      for (String command : running ? List.of("stop", "start") : List.of("start", "stop")) {
        Jocker.Result r = jocker.run(command, id);
        assertThat(r.code()).as("%s: %s %s: %s", when, command, id, r.err()).isZero();
        assertThat(jocker.ok("inspect", "-f", "{{.State.Status}}", id).out().strip()).as("%s: after %s", when, command)
            .isEqualTo(command.equals("start") ? "running" : "exited");
      }
    }
    if (!ids.isEmpty()) {
      checkState(when + ", after a start and a stop of " + ids);
    }
  }

  private static boolean alive(int pid) throws IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (pid <= 0 || !Files.exists(stat)) {
      return false;
    }
    String s = Files.readString(stat);
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }

  /** Keys of the active snapshots that are containers' (not an unpack's). */
  private Set<String> activeSnapshots() throws IOException {
    Set<String> keys = new HashSet<>();
    for (String n : children(jocker.root().resolve("snapshots/snapshots"))) {
      Path meta = jocker.root().resolve("snapshots/snapshots/" + n + "/meta.json");
      if (Files.exists(meta)) {
        Matcher m = Pattern.compile("\"key\":\"([0-9a-f]{64})\".*\"kind\":\"ACTIVE\"").matcher(Files.readString(meta));
        if (m.find()) {
          keys.add(m.group(1));
        }
      }
    }
    return keys;
  }

  /** The cgroup directories (/jocker/ID in every hierarchy) of containers this test made. */
  private List<Path> ourCgroups() {
    return ContainerCgroups.of(seen);
  }

  /** pid → container id of every live process of our containers: in their cgroup, or holding their files. */
  private Map<Long, String> ourProcesses() {
    Map<Long, String> ours = new LinkedHashMap<>();
    String root = jocker.root().toString();
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
          continue;
        }
        try {
          if (!alive(Integer.parseInt(name))) {
            continue;
          }
          String id = idInCgroup(Files.readString(proc.resolve("cgroup")));
          if (id == null) {
            id = idOfOpenFile(proc, root);
          }
          if (id != null) {
            ours.put(Long.parseLong(name), id);
          }
        } catch (IOException | SecurityException e) {
          // ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ours;
  }

  private String idInCgroup(String cgroups) {
    Matcher m = Pattern.compile("/jocker/([0-9a-f]{64})").matcher(cgroups);
    while (m.find()) {
      if (seen.contains(m.group(1))) {
        return m.group(1);
      }
    }
    return null;
  }

  /** The container whose directory (or runtime state) the process has open (a monitor: log, state dir). */
  private static String idOfOpenFile(Path proc, String root) throws IOException {
    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
      for (Path fd : fds.toList()) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue;
        }
        if (target.startsWith(root + "/")) {
          Matcher m = OUR_PATH.matcher(target.substring(root.length()));
          if (m.lookingAt()) {
            return m.group(1);
          }
        }
      }
    }
    return null;
  }

  private List<Long> processesIn(String id) {
    return ourProcesses().entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).toList();
  }

  private static List<String> children(Path dir) {
    return Jocker.children(dir).stream().filter(n -> ID.matcher(n).matches()).toList();
  }

  /** Whatever happened, nothing of this test's containers may outlive it. */
  @AfterEach
  void removeEverything() throws Exception {
    if (jocker == null) {
      return;
    }
    try {
      for (String id : jocker.run("ps", "-aq", "--no-trunc").out().lines().toList()) {
        jocker.run("rm", "-f", id);
      }
    } catch (RuntimeException | AssertionError e) {
      // the brute force below
    }
    children(jocker.root().resolve("containers")).forEach(seen::add);
    children(jocker.root().resolve("run")).forEach(seen::add);
    for (long pid : ourProcesses().keySet()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    Thread.sleep(200);
    List<String> mounts = new ArrayList<>(jocker.mountsLeft());
    for (String mount : mounts.reversed()) {
      new ProcessBuilder("umount", "-l", mount).start().waitFor();
    }
    for (Path cgroup : ourCgroups()) {
      Files.deleteIfExists(cgroup); // rmdir of an empty cgroup
    }
    assertThat(mounts).as("mounts left at the end").isEmpty();
  }
}
