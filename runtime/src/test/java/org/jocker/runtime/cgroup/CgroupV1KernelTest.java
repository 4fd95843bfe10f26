package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real cgroup v1 hierarchies of the running host (skipped where memory is not on v1). */
class CgroupV1KernelTest {
  private static final long MIB = 1 << 20;

  private final String name = "jocker-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private final List<Process> processes = new ArrayList<>();
  private CgroupLayout layout;
  private CgroupfsManager manager;
  private boolean jockerParentExisted;

  @BeforeEach
  void setUp() {
    layout = CgroupLayout.detect();
    assumeTrue(layout.hierarchyFor("memory").map(h -> !h.unified()).orElse(false),
        "needs the memory controller on a v1 hierarchy");
    assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
    manager = (CgroupfsManager) Cgroups.forContainer(layout, "/" + name, name);
    jockerParentExisted = Files.exists(mount("memory").resolve("jocker"));
  }

  @AfterEach
  void cleanUp() {
    processes.forEach(Process::destroyForcibly);
    try {
      if (manager != null) {
        manager.destroy();
      }
    } finally {
      CgroupCleanup.removeEverywhere(name);
      if (!jockerParentExisted && layout != null) {
        for (Hierarchy h : layout.hierarchies()) {
          CgroupCleanup.removeTree(h.mountPoint().resolve("jocker").resolve(name));
          try {
            Files.deleteIfExists(h.mountPoint().resolve("jocker"));
          } catch (IOException e) {
            // holds someone else's container
          }
        }
      }
    }
  }

  private Path mount(String controller) {
    return layout.hierarchyFor(controller).orElseThrow().mountPoint();
  }

  private String read(String controller, String file) throws IOException {
    return Files.readString(manager.dirOf(controller).orElseThrow().resolve(file)).trim();
  }

  /** A shell that waits for a line on stdin, so it can be moved into the cgroup before it works. */
  private Process gatedShell(String script) throws IOException {
    Process p = new ProcessBuilder("sh", "-c", "read go; " + script).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  private static void release(Process p) throws IOException {
    OutputStream in = p.getOutputStream();
    in.write('\n');
    in.flush();
  }

  @Test
  void createsEveryHierarchyAndReadsBackAppliedLimits() throws IOException {
    manager.create();
    manager.create(); // idempotent

    for (Path procs : manager.procsFiles()) {
      assertThat(procs).exists();
    }
    assertThat(manager.procsFiles()).hasSize(
        (int) layout.hierarchies().stream().filter(h -> h.unified() || h.controllers().stream()
            .anyMatch(List.of("memory", "cpu", "cpuacct", "cpuset", "pids", "blkio", "devices",
                "freezer", "hugetlb", "net_cls", "net_prio")::contains)).count());
    // a new v1 cpuset starts empty; create() copies the parent's so tasks can be attached
    assertThat(read("cpuset", "cpuset.cpus")).isEqualTo(Files.readString(mount("cpuset").resolve("cpuset.cpus")).trim());

    manager.apply(new Spec.Resources(null,
        new Spec.Memory(64 * MIB, 32 * MIB, 128 * MIB, null, null, 10L, null),
        new Spec.Cpu(512L, 50000L, 100000L, null, null, "0", "0", null),
        new Spec.Pids(64), null, null));

    assertThat(read("memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(64 * MIB));
    assertThat(read("memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(128 * MIB));
    assertThat(read("memory", "memory.soft_limit_in_bytes")).isEqualTo(Long.toString(32 * MIB));
    assertThat(read("memory", "memory.swappiness")).isEqualTo("10");
    assertThat(read("cpu", "cpu.shares")).isEqualTo("512");
    assertThat(read("cpu", "cpu.cfs_quota_us")).isEqualTo("50000");
    assertThat(read("cpu", "cpu.cfs_period_us")).isEqualTo("100000");
    assertThat(read("cpuset", "cpuset.cpus")).isEqualTo("0");
    assertThat(read("pids", "pids.max")).isEqualTo("64");

    // Lowering both limits below the current memsw only works limit-first; raising, memsw-first.
    manager.apply(new Spec.Resources(null,
        new Spec.Memory(16 * MIB, null, 24 * MIB, null, null, null, null), null, null, null, null));
    assertThat(read("memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(16 * MIB));
    assertThat(read("memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(24 * MIB));
    manager.apply(new Spec.Resources(null,
        new Spec.Memory(256 * MIB, null, 512 * MIB, null, null, null, null), null, null, null, null));
    assertThat(read("memory", "memory.limit_in_bytes")).isEqualTo(Long.toString(256 * MIB));
    assertThat(read("memory", "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(512 * MIB));
    manager.apply(new Spec.Resources(null,
        new Spec.Memory(-1L, null, null, null, null, null, null), null, null, null, null));
    assertThat(manager.stats().memory().limit()).isEqualTo(CgroupStats.UNLIMITED);
  }

  @Test
  void kernelErrorsAreOneLineNamingFileValueAndDir() {
    manager.create();
    Path dir = manager.dirOf("cpu").orElseThrow();

    assertThatThrownBy(() -> manager.apply(new Spec.Resources(null, null,
        new Spec.Cpu(null, null, 5L, null, null, null, null, null), null, null, null)))
        .isInstanceOf(CgroupException.class)
        .hasMessage("cgroup cpu: cannot set cpu.cfs_period_us to 5 in " + dir + ": Invalid argument");
  }

  @Test
  void blkioWeightGoesToWhicheverWeightFileTheSchedulerProvides() throws IOException {
    manager.create();
    Path dir = manager.dirOf("blkio").orElseThrow();
    Spec.Resources weight500 =
        new Spec.Resources(null, null, null, null, new Spec.BlockIo(500, null), null);

    if (Files.exists(dir.resolve("blkio.weight"))) {
      manager.apply(weight500);
      assertThat(read("blkio", "blkio.weight")).isEqualTo("500");
    } else if (Files.exists(dir.resolve("blkio.bfq.weight"))) {
      manager.apply(weight500);
      assertThat(read("blkio", "blkio.bfq.weight")).contains("500");
    } else {
      assertThatThrownBy(() -> manager.apply(weight500))
          .hasMessageContaining("neither blkio.weight nor blkio.bfq.weight exists");
    }
  }

  @Test
  void deviceRulesDenyAllThenAllow() throws IOException {
    manager.create();
    manager.apply(new Spec.Resources(List.of(
        new Spec.DeviceRule(false, null, null, null, "rwm"),
        new Spec.DeviceRule(true, "c", 1L, 3L, "rwm"),
        new Spec.DeviceRule(true, "c", 1L, 5L, "r")), null, null, null, null, null));

    assertThat(read("devices", "devices.list").lines()).containsExactlyInAnyOrder("c 1:3 rwm", "c 1:5 r");
  }

  /** runc's bats "update devices [minimal transition rules]": its deny "rwa" works on runc's v1 driver. */
  @Test
  void aDenyRulesUnknownAccessLettersAreIgnored() throws IOException {
    manager.create();
    manager.apply(new Spec.Resources(List.of(
        new Spec.DeviceRule(false, null, null, null, "rwm"),
        new Spec.DeviceRule(true, "c", 1L, 11L, "rwm"),
        new Spec.DeviceRule(false, "c", 1L, 11L, "wa"),
        new Spec.DeviceRule(false, "c", 1L, 11L, "a"),
        new Spec.DeviceRule(true, "c", 1L, 3L, "rwm")), null, null, null, null, null));

    assertThat(read("devices", "devices.list").lines()).containsExactlyInAnyOrder("c 1:3 rwm", "c 1:11 rm");
    assertThatThrownBy(() -> manager.apply(new Spec.Resources(List.of(new Spec.DeviceRule(true, "c", 1L, 5L, "ra")),
        null, null, null, null, null))).hasMessageContaining("is not made of r, w, m");
  }

  @Test
  void processLifecycleStatsFreezeAndDestroy() throws Exception {
    manager.create();
    manager.apply(new Spec.Resources(null, null, null, new Spec.Pids(32), null, null));
    Process p = gatedShell("i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; "
        + "head -c 2000000 /dev/zero | wc -c >/dev/null; exec sleep 60");
    manager.addProcess(p.pid());
    release(p);

    assertThat(manager.pids()).containsExactly(p.pid());
    for (Path procs : manager.procsFiles()) {
      assertThat(Files.readAllLines(procs)).contains(Long.toString(p.pid()));
    }
    CgroupStats stats = manager.stats();
    for (int i = 0; i < 200 && (stats.cpu().usageNanos() == 0 || stats.memory().usage() == 0); i++) {
      Thread.sleep(20);
      stats = manager.stats();
    }
    assertThat(stats.cpu().usageNanos()).isPositive();
    assertThat(stats.memory().usage()).isPositive();
    assertThat(stats.memory().maxUsage()).isGreaterThanOrEqualTo(stats.memory().usage());
    assertThat(stats.pids().current()).isGreaterThanOrEqualTo(1);
    assertThat(stats.pids().limit()).isEqualTo(32);

    manager.freeze();
    assertThat(manager.isFrozen()).isTrue();
    assertThat(read("freezer", "freezer.state")).isEqualTo("FROZEN");
    manager.thaw();
    assertThat(manager.isFrozen()).isFalse();
    assertThat(read("freezer", "freezer.state")).isEqualTo("THAWED");

    manager.freeze(); // destroy must cope with frozen tasks, which cannot die until thawed
    List<Path> leaves = manager.procsFiles().stream().map(Path::getParent).toList();
    manager.destroy();

    assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137); // SIGKILL
    for (Path leaf : leaves) {
      assertThat(leaf).doesNotExist();
    }
    manager.destroy(); // already gone: fine
  }

  @Test
  void killAllWithoutCgroupKillFreezesKillsAndThaws() throws Exception {
    manager.create();
    Process p = gatedShell("i=0; while [ $i -lt 500 ]; do sleep 600 & i=$((i+1)); done; wait");
    manager.addProcess(p.pid());
    release(p);
    for (int i = 0; i < 500 && manager.pids().size() < 30; i++) {
      Thread.sleep(10);
    }
    manager.freeze(); // paused: v1-frozen tasks die only once thawed

    new KillAll(manager, Optional.empty()).run(); // a pure v1 host has no cgroup.kill

    assertThat(manager.pids()).isEmpty();
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    assertThat(read("freezer", "freezer.state")).isEqualTo("THAWED");
  }

  @Test
  void oomKillsAreCounted() throws Exception {
    manager.create();
    manager.apply(new Spec.Resources(null,
        new Spec.Memory(16 * MIB, null, 16 * MIB, null, null, null, null), null, null, null, null));
    Process p = gatedShell("exec tail /dev/zero"); // /dev/zero has no newline: tail buffers forever
    manager.addProcess(p.pid());
    release(p);

    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    assertThat(manager.oomKillCount()).isGreaterThanOrEqualTo(1);
    assertThat(manager.stats().oomKillCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void defaultPathLivesUnderJockerAndRemovesTheJockerParentWhenEmpty() {
    CgroupfsManager byId = (CgroupfsManager) Cgroups.forContainer(layout, null, name);
    try {
      byId.create();
      assertThat(byId.dirOf("memory").orElseThrow())
          .isEqualTo(mount("memory").resolve("jocker").resolve(name))
          .isDirectory();
    } finally {
      byId.destroy();
    }
    assertThat(mount("memory").resolve("jocker").resolve(name)).doesNotExist();
    if (!jockerParentExisted) {
      for (Hierarchy h : layout.hierarchies()) {
        assertThat(h.mountPoint().resolve("jocker")).doesNotExist();
      }
    }
  }
}
