package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The host's real cgroup2 mount alone (on a hybrid host it has few or no controllers), exercising
 * what every cgroup2 tree has: mkdir/rmdir, cgroup.procs, cgroup.freeze, cpu.stat.
 */
class CgroupV2KernelTest {
  private final String name = "jocker-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private Process process;
  private Path leaf;
  private CgroupManager manager;

  @BeforeEach
  void setUp() throws IOException {
    String mountinfo = Files.readString(Path.of("/proc/self/mountinfo")).lines()
        .filter(l -> l.contains(" - cgroup2 "))
        .collect(Collectors.joining("\n"));
    CgroupLayout layout = CgroupLayout.parse(
        mountinfo, Files.readString(Path.of("/proc/self/cgroup")), Path.of("/"));
    assumeTrue(layout.unified().isPresent(), "needs a cgroup2 mount");
    assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
    leaf = layout.unified().get().mountPoint().resolve(name);
    manager = Cgroups.forContainer(layout, "/" + name, name);
  }

  @AfterEach
  void cleanUp() {
    if (process != null) {
      process.destroyForcibly();
    }
    try {
      if (manager != null) {
        manager.destroy();
      }
    } finally {
      if (leaf != null) {
        CgroupCleanup.removeTree(leaf);
      }
    }
  }

  @Test
  void joinFreezeThawAndDestroyOnTheRealCgroup2Mount() throws Exception {
    manager.create();
    assertThat(manager.procsFiles()).containsExactly(leaf.resolve("cgroup.procs"));

    process = new ProcessBuilder("sleep", "60").start();
    manager.addProcess(process.pid());
    assertThat(manager.pids()).isEqualTo(List.of(process.pid()));
    assertThat(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cgroup")))
        .contains("0::/" + name);

    manager.freeze();
    assertThat(manager.isFrozen()).isTrue();
    assertThat(Files.readString(leaf.resolve("cgroup.events"))).contains("frozen 1");
    manager.thaw();
    assertThat(manager.isFrozen()).isFalse();
    assertThat(manager.stats().cpu().usageNanos()).isNotNegative();

    manager.freeze();
    manager.destroy();
    assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(leaf).doesNotExist();
  }

  @Test
  void killAllEndsAForkingTreeThroughCgroupKill() throws Exception {
    manager.create();
    assumeTrue(Files.exists(leaf.resolve("cgroup.kill")), "cgroup.kill needs Linux 5.14");
    forkingTree();
    manager.killAll();
    assertAllKilled();
  }

  @Test
  void killAllWithoutCgroupKillSignalsEveryPidUntilNoneIsLeft() throws Exception {
    manager.create();
    forkingTree();
    new KillAll(manager, Optional.empty()).run(); // what kernels before 5.14 get
    assertAllKilled();
  }

  @Test
  void killAllEndsAFrozenCgroupEitherWay() throws Exception {
    for (boolean cgroupKill : new boolean[] {true, false}) {
      manager.create();
      forkingTree();
      manager.freeze();
      new KillAll(manager, cgroupKill ? Optional.of(new CgroupDir("unified", leaf)) : Optional.empty()).run();
      assertAllKilled();
      assertThat(manager.isFrozen()).isFalse();
    }
  }

  /** A shell in the cgroup starting sleeps as fast as it can, already some dozens of them. */
  private void forkingTree() throws Exception {
    process = new ProcessBuilder("sh", "-c", "read go; i=0; while [ $i -lt 500 ]; do sleep 600 & i=$((i+1)); done; wait")
        .start();
    manager.addProcess(process.pid());
    process.getOutputStream().write('\n');
    process.getOutputStream().flush();
    for (int i = 0; i < 500 && manager.pids().size() < 30; i++) {
      Thread.sleep(10);
    }
    assertThat(manager.pids()).hasSizeGreaterThanOrEqualTo(30);
  }

  private void assertAllKilled() throws Exception {
    assertThat(manager.pids()).isEmpty();
    assertThat(process.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(137); // SIGKILL
  }
}
