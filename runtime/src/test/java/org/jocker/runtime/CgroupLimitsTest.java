package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;
import org.junit.jupiter.api.Test;

/** linux.resources on the host's cgroup v1 hierarchies, pause/resume, ps, OOM, removal. */
class CgroupLimitsTest extends KernelTestBase {

  static Path cg(String controller, String id) {
    return CGROUP_ROOT.resolve(controller).resolve("jocker").resolve(id);
  }

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

  @Test
  void limitsAreWrittenAndSeenInside() throws Exception {
    Bundle b = shBundle("cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.shares"
        + " /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/pids/pids.max", j -> {
          resources(j).putObject("memory").put("limit", 64L << 20);
          resources(j).putObject("cpu").put("shares", 512).put("cpus", "0").put("mems", "0");
          resources(j).putObject("pids").put("limit", 42);
        });
    String id = newId("lim");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    assertThat(read(cg("memory", id).resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(64L << 20));
    assertThat(read(cg("cpu", id).resolve("cpu.shares"))).isEqualTo("512");
    assertThat(read(cg("cpuset", id).resolve("cpuset.cpus"))).isEqualTo("0");
    assertThat(read(cg("pids", id).resolve("pids.max"))).isEqualTo("42");
    int pid = rt.state(id).pid();
    assertThat(read(cg("memory", id).resolve("cgroup.procs"))).isEqualTo(Integer.toString(pid));
    rt.start(id);
    assertThat(rt.awaitExit(id).code()).isZero();
    assertThat(b.read("stdout").lines().toList()).containsExactly(Long.toString(64L << 20), "512", "0", "42");
  }

  @Test
  void pidsLimitStopsForks() throws Exception {
    Result r = sh("(for i in $(seq 30); do sleep 2 & done); read n < /sys/fs/cgroup/pids/pids.current; echo $n",
        j -> resources(j).putObject("pids").put("limit", 10));
    // busybox sh gives up at the first failed fork: the subshell dies, the main shell reports
    assertThat(r.err()).contains("can't fork: Resource temporarily unavailable");
    assertThat(Integer.parseInt(r.out().trim())).isBetween(2, 10);
  }

  @Test
  void pauseAndResumeFreezeTheProcesses() throws Exception {
    String id = startDetached(shBundle("while :; do echo tick >> /out/ticks; sleep 0.05; done", j -> {}));
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    rt.pause(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.paused);
    assertThat(read(cg("freezer", id).resolve("freezer.state"))).isEqualTo("FROZEN");
    Path ticks = tmp.resolve("out0/ticks");
    long before = Files.readAllLines(ticks).size();
    Thread.sleep(300);
    assertThat(Files.readAllLines(ticks)).hasSize((int) before);
    rt.resume(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    assertThat(read(cg("freezer", id).resolve("freezer.state"))).isEqualTo("THAWED");
    Thread.sleep(300);
    assertThat(Files.readAllLines(ticks).size()).isGreaterThan((int) before);
  }

  @Test
  void processesListsEveryPid() throws Exception {
    String id = startDetached(shBundle("sleep 60 & sleep 61 & echo started > /out/ready; wait", j -> {}));
    Path ready = tmp.resolve("out0/ready");
    for (int i = 0; i < 200 && !Files.exists(ready); i++) {
      Thread.sleep(10);
    }
    List<Long> pids = rt.processes(id);
    assertThat(pids).hasSize(3).contains((long) rt.state(id).pid());
    for (long pid : pids) {
      assertThat(read(Path.of("/proc/" + pid + "/cgroup"))).contains("pids:/jocker/" + id);
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
  void deleteRemovesTheCgroups() throws Exception {
    String id = startDetached(shBundle("sleep 60", j -> {}));
    assertThat(leftoverCgroups()).isNotEmpty();
    rt.delete(id, true);
    assertThat(leftoverCgroups()).isEmpty();
  }
}
