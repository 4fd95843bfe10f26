package org.jocker.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.jocker.cli.testing.ContainerCgroups;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.ResidentEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection for `jocker build`: a two-stage build (a RUN that writes files for a second,
 * COPY of a context, COPY --from, a second RUN) killed with SIGKILL at a random moment — the jocker
 * process users run without an engine, or the resident engine serving the native client. Its RUN
 * containers' processes (each carries the test's mark in its environment) die with it at once.
 * After the command users run next (`ps`), nothing of the build is left: no runtime state or
 * cgroup of them, no mount under the root, no sandbox, no active snapshot, no committed one that no
 * image or build cache record needs, no tag unless the build had finished (its image then whole); and a
 * following unkilled build, using the cache the killed ones left, gives the same config and files
 * as an uninterrupted one (not the same ID: each step's history has the time it ran).
 *
 * <p>The kill moments are calibrated as in the container crash tests: a whole build of each victim
 * counts the changes it makes (sandbox files, mounts, snapshots, cache records, runtime state) and
 * its duration; a trial kills just after a random one of those changes, at a random time after its
 * first change, or at a random time in its first RUN (after that RUN's processes appear).
 */
class BuildCrashTest {
  /** The trials' time (-Djocker.test.crashBudgetMillis for a longer hunt). */
  private static final long BUDGET_MILLIS = Long.getLong("jocker.test.crashBudgetMillis", 20_000);
  private static final int MIN_TRIALS = 6;
  /** How long the first RUN takes (five 0.2 s sleeps). */
  private static final long RUN_MILLIS = 1000;
  /** How soon a killed build's RUN processes must be gone. */
  private static final long RUN_DEATH_MILLIS = 300;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The files the image's /app holds, with their content: what any whole build gives. */
  private static final String LISTING = "cd /app && find . | sort && cat $(find . -type f | sort)";

  /** Whose SIGKILL: the jocker process (a JVM, as users run it without an engine) or the resident engine. */
  enum Victim { COMMAND, ENGINE }

  @TempDir Path tmp;
  private Jocker jocker;
  private ResidentEngine engine;
  /** In the environment of every process of the build's RUN containers, and of no other process. */
  private String mark;
  private Path context;
  /** Every RUN container id seen: their runtime state and cgroups must go. */
  private final Set<String> seen = new HashSet<>();
  private long slowestRunDeath;

  @Test
  void killedBuildsLeaveNothingAndTheNextCommandRepairs() throws Exception {
    mark = "jocker-build-crash-" + UUID.randomUUID();
    context = context();
    jocker = new Jocker(tmp.resolve("root"));
    engine = ResidentEngine.start(tmp.resolve("engine"), jocker.root());
    Map<Victim, Outcome> whole = new TreeMap<>();
    whole.put(Victim.ENGINE, runKilling(Victim.ENGINE, build("whole-engine"), KillAt.NEVER, new Random(), "whole"));
    whole.put(Victim.COMMAND, runKilling(Victim.COMMAND, build("whole-command"), KillAt.NEVER, new Random(), "whole"));
    assertThat(whole.values()).as("RUN processes seen by their mark").allMatch(Outcome::runSeen);
    Image reference = image("whole-engine");
    assertThat(reference.files()).contains("./run/5", "./files/sub/c.txt", "./all", "line 5\n");
    assertThat(image("whole-command")).isEqualTo(reference);
    checkClean("after the whole builds", Set.of("whole-engine", "whole-command"));

    long seed = new Random().nextLong();
    Random random = new Random(seed);
    Map<String, Integer> killed = new TreeMap<>();
    long deadline = System.nanoTime() + BUDGET_MILLIS * 1_000_000;
    int trial = 0;
    for (; trial < MIN_TRIALS || System.nanoTime() < deadline; trial++) {
      Victim victim = Victim.values()[trial % 2];
      String tag = "trial" + trial;
      Outcome full = whole.get(victim);
      // Each way in turn (with both victims every 6 trials): at a change, at a time, in a RUN.
      KillAt killAt = switch (trial % 3) {
        case 0 -> new KillAt(1 + random.nextInt(full.changes()), -1, -1);
        case 1 -> new KillAt(0, random.nextLong(full.millis() * 6 / 5 + 1), -1);
        default -> new KillAt(0, -1, random.nextLong(RUN_MILLIS * 7 / 10));
      };
      String when = "trial " + trial + " (" + victim + " killed " + killAt + ", seed " + seed + ")";
      if (runKilling(victim, build(tag), killAt, random, when).kills() > 0) {
        killed.merge(victim + (killAt.inRun() >= 0 ? " in a RUN" : ""), 1, Integer::sum);
      }
      if (victim == Victim.ENGINE) {
        engine.ok("ps", "-a"); // the repair, by the engine users' next command goes to
      } else {
        jocker.ok("ps", "-a");
      }
      Set<String> tags = tags();
      checkClean(when, tags);
      if (tags.contains(tag)) {
        assertThat(image(tag)).as("%s: the image tagged", when).isEqualTo(reference);
      }
      // Built on what the killed build left in the cache.
      engine.ok("build", "-q", "-t", "after", context.toString());
      assertThat(image("after")).as("%s: the next build", when).isEqualTo(reference);
      checkClean(when + ", after the next build", tags());
    }
    System.out.printf("BuildCrashTest: %d trials, killed %s, RUN processes gone within %d ms, whole builds %s%n",
        trial, killed, slowestRunDeath, whole);
    assertThat(killed.values().stream().mapToInt(Integer::intValue).sum()).as("builds killed")
        .isGreaterThanOrEqualTo(trial / 3);
    assertThat(killed).as("both victims killed in a RUN").containsKeys("COMMAND in a RUN", "ENGINE in a RUN");
  }

  /** Two stages: a RUN of about a second writing files, a COPY of the context, one from the first stage. */
  private Path context() throws IOException {
    Path dir = tmp.resolve("context");
    Files.createDirectories(dir.resolve("files/sub"));
    for (int i = 0; i < 20; i++) {
      Files.writeString(dir.resolve("files/f" + i + ".txt"), "file " + i + "\n");
    }
    Files.writeString(dir.resolve("files/sub/c.txt"), "nested\n");
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM busybox AS base
        ENV MARK=%1$s
        RUN mkdir -p /out/run && for i in 1 2 3 4 5; do echo "line $i" > /out/run/$i; sleep 0.2; done
        COPY files/ /out/files/

        FROM busybox
        ENV MARK=%1$s
        COPY --from=base /out /app
        RUN cat /app/files/*.txt /app/run/* > /app/all && sleep 0.3
        WORKDIR /app
        CMD ["cat", "/app/all"]
        """.formatted(mark));
    return dir;
  }

  private String[] build(String tag) {
    return new String[] {"build", "--no-cache", "-t", tag, context.toString()};
  }

  /** What comparing two builds' images looks at: the config (but for times) and the files of /app. */
  private record Image(String config, String files) {}

  private Image image(String tag) {
    String config = engine.ok("image", "inspect", "-f", "{{json .Config}}", tag).out();
    String files = engine.ok("run", "--rm", "-e", "MARK=", tag, "sh", "-c", LISTING).out();
    return new Image(config, files);
  }

  /**
   * What a run did: changes of the state seen, whether it was killed, time taken from its first
   * change, whether a process of a RUN was seen (looked for in whole runs only: the check's check).
   */
  private record Outcome(int changes, int kills, long millis, boolean runSeen) {}

  /**
   * Runs the build (a jocker process, or the native client through the engine) and watches the
   * state: the victim is killed with SIGKILL when {@code killAt} says, unless the build ended. A
   * killed engine is started again before this returns.
   */
  /**
   * When a trial kills: a random 0-2 ms after the change-th change (if > 0), or so many ms after
   * the first change or after the RUN's processes appear (if not negative).
   */
  private record KillAt(int change, long afterFirstChange, long inRun) {
    static final KillAt NEVER = new KillAt(0, -1, -1);
  }

  private Outcome runKilling(Victim victim, String[] command, KillAt killAt, Random random, String when)
      throws Exception {
    Path stderr = tmp.resolve("build.err");
    Process process = (victim == Victim.COMMAND
        ? jocker.process(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        : engine.client(Map.of(), List.of(command))).redirectError(stderr.toFile()).start();
    long start = System.nanoTime();
    long firstChange = 0;
    String last = snapshot();
    int changes = 0;
    int kills = 0;
    boolean watchRuns = killAt == KillAt.NEVER || killAt.inRun() >= 0;
    long runSeen = 0;
    for (int polls = 0; process.isAlive(); polls++) {
      if (watchRuns && runSeen == 0 && polls % 10 == 0 && !markedProcesses().isEmpty()) {
        runSeen = System.nanoTime();
      }
      assertThat(System.nanoTime() - start).as("%s still running", List.of(command)).isLessThan(120_000_000_000L);
      String now = snapshot();
      boolean changed = !now.equals(last);
      if (changed) {
        changes++;
        last = now;
        firstChange = firstChange == 0 ? System.nanoTime() : firstChange;
      }
      boolean due = kills == 0 && (killAt.change() > 0 ? changed && killAt.change() == changes
          : killAt.afterFirstChange() >= 0 ? firstChange != 0 && millisSince(firstChange) >= killAt.afterFirstChange()
          : killAt.inRun() >= 0 && runSeen != 0 && millisSince(runSeen) >= killAt.inRun());
      if (due) {
        LockSupport.parkNanos(random.nextLong(2_000_000));
        if (victim == Victim.COMMAND) {
          process.destroyForcibly(); // the wrapper exec'd java: the jocker process
        } else {
          engine.kill();
        }
        kills++;
      }
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    if (kills == 0) {
      assertThat(process.exitValue()).as("%s: %s", List.of(command), Files.readString(stderr)).isZero();
    }
    long millis = (System.nanoTime() - (firstChange == 0 ? start : firstChange)) / 1_000_000;
    if (kills > 0) {
      awaitNoRunProcess(when);
    }
    if (victim == Victim.ENGINE && kills > 0) {
      engine.start();
    }
    return new Outcome(changes, kills, millis, runSeen != 0);
  }

  private static long millisSince(long nanoTime) {
    return (System.nanoTime() - nanoTime) / 1_000_000;
  }

  /** What a build changes, as text: its sandbox, mounts, snapshots, cache records, runtime state. */
  private String snapshot() throws IOException {
    Path root = jocker.root();
    StringBuilder s = new StringBuilder();
    for (String sandbox : sandboxes()) {
      s.append(sandbox).append(':');
      for (String dir : List.of("run", "mnt", "tmp")) {
        List<String> ids = Jocker.children(root.resolve("builds/" + sandbox + "/" + dir));
        if (dir.equals("run")) {
          seen.addAll(ids);
        }
        s.append(dir).append(ids);
      }
      s.append(',');
    }
    s.append('|').append(Jocker.children(root.resolve("run"))).append('|').append(jocker.mountsLeft()).append('|');
    s.append(Jocker.children(root.resolve("snapshots/snapshots"))).append('|');
    s.append(Jocker.children(root.resolve("buildcache")).size()).append('|');
    s.append(Jocker.children(root.resolve("images")).size());
    return s.toString();
  }

  // --- the invariants -------------------------------------------------------------------------

  /** Nothing of a build left but the images tagged {@code tags} and the cache records. */
  private void checkClean(String when, Set<String> tags) throws Exception {
    Path root = jocker.root();
    assertThat(markedProcesses()).as("%s: processes of RUN containers", when).isEmpty();
    assertThat(jocker.mountsLeft()).as("%s: mounts", when).isEmpty();
    assertThat(sandboxes()).as("%s: build sandboxes", when).isEmpty();
    assertThat(Jocker.children(root.resolve("run"))).as("%s: runtime state", when).doesNotContainAnyElementsOf(seen);
    assertThat(ContainerCgroups.of(seen)).as("%s: cgroups of RUN containers", when).isEmpty();
    Set<String> wanted = new TreeSet<>(Set.of("whole-engine", "whole-command", "after"));
    wanted.addAll(tags.stream().filter(t -> t.startsWith("trial")).toList());
    assertThat(tags).as("%s: tags", when).isSubsetOf(wanted);

    Set<String> needed = new HashSet<>();
    for (String tag : tags) {
      JsonNode layers = JSON.readTree(engine.ok("image", "inspect", "-f", "{{json .RootFS.Layers}}", tag).out());
      List<String> diffIds = new ArrayList<>();
      layers.forEach(l -> diffIds.add(l.asText()));
      needed.addAll(chainIds(diffIds));
    }
    for (String record : Jocker.children(root.resolve("buildcache"))) {
      if (record.endsWith(".json")) {
        List<String> diffIds = new ArrayList<>();
        JSON.readTree(root.resolve("buildcache/" + record).toFile()).path("layers")
            .forEach(l -> diffIds.add(l.path("diffId").asText()));
        needed.addAll(chainIds(diffIds));
      }
    }
    Path snapshots = root.resolve("snapshots/snapshots");
    for (String n : Jocker.children(snapshots)) {
      Path meta = snapshots.resolve(n + "/meta.json");
      assertThat(meta).as("%s: snapshot %s", when, n).exists();
      JsonNode snapshot = JSON.readTree(meta.toFile());
      String key = snapshot.path("key").asText();
      assertThat(snapshot.path("kind").asText()).as("%s: snapshot %s", when, key).isEqualTo("COMMITTED");
      assertThat(needed).as("%s: snapshot %s needed by an image or a cache record", when, key).contains(key);
    }
  }

  /** The chain IDs of each prefix of a stack of layers (what its committed snapshots are called). */
  private static List<String> chainIds(List<String> diffIds) throws NoSuchAlgorithmException {
    List<String> chains = new ArrayList<>();
    String chain = null;
    for (String diffId : diffIds) {
      if (chain == null) {
        chain = diffId;
      } else {
        byte[] hash = MessageDigest.getInstance("SHA-256")
            .digest((chain + " " + diffId).getBytes(StandardCharsets.UTF_8));
        chain = "sha256:" + HexFormat.of().formatHex(hash);
      }
      chains.add(chain);
    }
    return chains;
  }

  private Set<String> tags() {
    Set<String> tags = new TreeSet<>();
    for (String line : engine.ok("images", "--format", "{{.Repository}}").out().lines().toList()) {
      if (!line.equals("busybox") && !line.equals("<none>")) {
        tags.add(line);
      }
    }
    return tags;
  }

  /**
   * A RUN dies with the process that reads its output (its monitor kills it) at once, not when it
   * ends (up to a second later), and before any repair: the engine is not running yet.
   */
  private void awaitNoRunProcess(String when) throws Exception {
    long start = System.nanoTime();
    while (!markedProcesses().isEmpty() && System.nanoTime() - start < RUN_DEATH_MILLIS * 1_000_000) {
      Thread.sleep(5);
    }
    assertThat(markedProcesses()).as("%s: processes of RUN containers %d ms after the kill", when, RUN_DEATH_MILLIS)
        .isEmpty();
    slowestRunDeath = Math.max(slowestRunDeath, (System.nanoTime() - start) / 1_000_000);
  }

  /** Live processes with the test's mark in their environment: those of the RUN containers. */
  private List<Long> markedProcesses() throws IOException {
    String wanted = "\0MARK=" + mark + "\0";
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String environ = "\0" + Files.readString(proc.resolve("environ"), StandardCharsets.ISO_8859_1);
          if (environ.contains(wanted) && !zombie(proc)) {
            found.add(Long.parseLong(name));
          }
        } catch (IOException e) {
          // ended while we looked
        }
      }
    }
    return found;
  }

  private static boolean zombie(Path proc) throws IOException {
    String stat = Files.readString(proc.resolve("stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
  }

  /** The directories of builds/ (beside them is the lock held while one is made). */
  private List<String> sandboxes() throws IOException {
    Path builds = jocker.root().resolve("builds");
    return Jocker.children(builds).stream().filter(n -> Files.isDirectory(builds.resolve(n))).toList();
  }

  /** Whatever happened, nothing of this test's builds may outlive it. */
  @AfterEach
  void removeEverything() throws Exception {
    if (jocker == null) {
      return;
    }
    try {
      if (engine != null) {
        engine.close();
      }
      jocker.run("ps", "-a"); // removes what a failed trial left
    } finally {
      for (long pid : markedProcesses()) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      List<String> mounts = new ArrayList<>(jocker.mountsLeft());
      for (String mount : mounts.reversed()) {
        new ProcessBuilder("umount", "-l", mount).start().waitFor();
      }
      Thread.sleep(200);
      for (Path cgroup : ContainerCgroups.of(seen)) {
        Files.deleteIfExists(cgroup); // rmdir of an empty cgroup
      }
      assertThat(mounts).as("mounts left at the end").isEmpty();
    }
  }
}
