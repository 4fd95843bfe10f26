package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jocker.runtime.testing.CgroupFiles.CPUSET_CPUS;
import static org.jocker.runtime.testing.CgroupFiles.CPU_SHARES;
import static org.jocker.runtime.testing.CgroupFiles.FREEZER_STATE;
import static org.jocker.runtime.testing.CgroupFiles.MEMORY_LIMIT;
import static org.jocker.runtime.testing.CgroupFiles.PIDS_CURRENT;
import static org.jocker.runtime.testing.CgroupFiles.PIDS_MAX;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;
import org.jocker.runtime.testing.CgroupFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * linux.resources, pause/resume, ps, OOM, removal, on the host's cgroups whatever their layout (v1,
 * hybrid or cgroup2): files are found through {@link CgroupFiles}.
 */
class CgroupLimitsTest extends KernelTestBase {
  private final CgroupFiles files = new CgroupFiles();

  static String read(Path p) throws Exception {
    return Files.readString(p).trim();
  }

  /** Creates and starts a container; returns its id. */
  String startDetached(Bundle b) {
    String id = newId("cg");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    return id;
  }

  /** A running container whose shell has started two sleeps (and waits for them). */
  String startedWithTwoSleeps() throws Exception {
    String id = startDetached(shBundle("sleep 60 & sleep 61 & echo started > /out/ready; wait", j -> {}));
    Path ready = tmp.resolve("out0/ready");
    for (int i = 0; i < 500 && !Files.exists(ready); i++) {
      Thread.sleep(10);
    }
    return id;
  }

  @Test
  void limitsAreWrittenAndSeenInside() throws Exception {
    List<CgroupFiles.File> limits = List.of(MEMORY_LIMIT, CPU_SHARES, CPUSET_CPUS, PIDS_MAX);
    // cgroup2 has cpu.weight: runc's mapping of 512 shares is 1 + (512 - 2) * 9999 / 262142
    List<String> expected = List.of(Long.toString(64L << 20), files.pick(CPU_SHARES, "512", "20"), "0", "42");
    Bundle b = shBundle("cat " + String.join(" ", limits.stream().map(files::inside).toList()), j -> {
      resources(j).putObject("memory").put("limit", 64L << 20);
      resources(j).putObject("cpu").put("shares", 512).put("cpus", "0").put("mems", "0");
      resources(j).putObject("pids").put("limit", 42);
    });
    String id = newId("lim");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    for (int i = 0; i < limits.size(); i++) {
      assertThat(read(files.onHost(id, limits.get(i)))).as(limits.get(i).toString()).isEqualTo(expected.get(i));
    }
    int pid = rt.state(id).pid();
    assertThat(read(files.onHost(id, CgroupFiles.File.procs("memory")))).isEqualTo(Integer.toString(pid));
    rt.start(id);
    assertThat(rt.awaitExit(id).code()).isZero();
    assertThat(b.read("stdout").lines().toList()).isEqualTo(expected);
  }

  @Test
  void pidsLimitStopsForks() throws Exception {
    Result r = sh("(for i in $(seq 30); do sleep 2 & done); read n < " + files.inside(PIDS_CURRENT) + "; echo $n",
        j -> resources(j).putObject("pids").put("limit", 10));
    // busybox sh gives up at the first failed fork: the subshell dies, the main shell reports
    assertThat(r.err()).contains("can't fork: Resource temporarily unavailable");
    assertThat(Integer.parseInt(r.out().trim())).isBetween(2, 10);
  }

  @Test
  void pauseAndResumeFreezeTheProcesses() throws Exception {
    String id = startDetached(shBundle("while :; do echo tick >> /out/ticks; sleep 0.05; done", j -> {}));
    Path ticks = tmp.resolve("out0/ticks");
    // on a loaded host the shell may not have written yet: pausing then would freeze nothing to count
    for (int i = 0; i < 500 && !Files.exists(ticks); i++) {
      Thread.sleep(10);
    }
    assertThat(ticks).as("the container's first tick").exists();
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    rt.pause(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.paused);
    assertThat(read(files.onHost(id, FREEZER_STATE))).isEqualTo(files.pick(FREEZER_STATE, "FROZEN", "1"));
    long before = Files.readAllLines(ticks).size();
    Thread.sleep(300);
    assertThat(Files.readAllLines(ticks)).hasSize((int) before);
    rt.resume(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    assertThat(read(files.onHost(id, FREEZER_STATE))).isEqualTo(files.pick(FREEZER_STATE, "THAWED", "0"));
    Thread.sleep(300);
    assertThat(Files.readAllLines(ticks).size()).isGreaterThan((int) before);
  }

  @Test
  void processesListsEveryPid() throws Exception {
    String id = startedWithTwoSleeps();
    List<Long> pids = rt.processes(id);
    assertThat(pids).hasSize(3).contains((long) rt.state(id).pid());
    for (long pid : pids) {
      assertThat(files.cgroupOf(pid, "pids")).isEqualTo("/jocker/" + id);
    }
  }

  @Test
  void outOfMemoryKillsTheContainer() throws Exception {
    Bundle b = bundle(List.of("tail", "/dev/zero"), j -> resources(j).putObject("memory").put("limit", 16L << 20));
    String id = newId("oom");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    ExitStatus exit = rt.awaitExit(id);
    assertThat(exit.code()).isEqualTo(137);
    assertThat(exit.signal()).isEqualTo(9);
    assertThat(Cgroups.forContainer(null, id).oomKillCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void memoryOomGroupKillsTheWholeContainerOnlyWhenAsked() throws Exception {
    Assumptions.assumeTrue(files.onV2("memory"), "memory.oom.group is cgroup2's");
    String script = "tail /dev/zero; echo tail $?";
    // As runc and crun: not set by default, so the OOM killer takes the hog alone and the shell goes on.
    Result alone = sh(script, j -> resources(j).putObject("memory").put("limit", 16L << 20));
    assertThat(alone.exit().code()).isZero();
    assertThat(alone.out()).isEqualTo("tail 137\n");
    Result group = sh(script, j -> {
      resources(j).putObject("memory").put("limit", 16L << 20);
      resources(j).putObject("unified").put("memory.oom.group", "1");
    });
    assertThat(group.exit().signal()).isEqualTo(9);
    assertThat(group.out()).isEmpty();
  }

  @Test
  void killAllEndsEveryProcessOfAPausedContainer() throws Exception {
    String id = startedWithTwoSleeps();
    rt.pause(id);
    rt.kill(id, 9, true);
    assertThat(rt.processes(id)).isEmpty();
    assertThat(rt.awaitExit(id).signal()).isEqualTo(9);
    assertThat(rt.state(id).status()).isEqualTo(Status.stopped);
  }

  @Test
  void deleteRemovesTheCgroups() throws Exception {
    String id = startDetached(shBundle("sleep 60", j -> {}));
    assertThat(leftoverCgroups()).isNotEmpty();
    rt.delete(id, true);
    assertThat(leftoverCgroups()).isEmpty();
  }
}
