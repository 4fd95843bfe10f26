package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.cgroup.CgroupException;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.spec.Spec;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.testing.StartDetached;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The systemd cgroup driver on a host whose init is systemd with a pure cgroup2 hierarchy (the test
 * VM, scripts/test-v2): each container is a transient scope systemd made with the limits as unit
 * properties, its monitor is in a scope of its own, and delete stops the scope. Skipped elsewhere.
 */
class SystemdCgroupDriverTest extends KernelTestBase {
  private static final Path CGROUP2 = Path.of("/sys/fs/cgroup");
  private final List<String> units = new ArrayList<>();

  @BeforeEach
  void systemdRuntime() {
    Assumptions.assumeTrue(CgroupDriver.systemdRunning(),
        "systemd is not this host's init (/run/systemd/system is missing): the systemd driver cannot run");
    Assumptions.assumeTrue(Files.exists(CGROUP2.resolve("cgroup.controllers")),
        "these checks read a pure cgroup2 hierarchy at /sys/fs/cgroup");
    rt = new ContainerRuntime(tmp.resolve("state"), new LinuxKernel(), Launcher.locate(), CgroupDriver.SYSTEMD);
  }

  @AfterEach
  void stopTestUnits() throws Exception {
    for (String unit : units) {
      command("systemctl", "stop", unit);
    }
  }

  private static Path scopeDir(String id) {
    return CGROUP2.resolve("system.slice/jocker-" + id + ".scope");
  }

  @Test
  void aContainerIsInItsScopeWithTheLimitsAsUnitProperties() throws Exception {
    Bundle b = shBundle("cat /proc/self/cgroup /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max", j -> {
      resources(j).putObject("memory").put("limit", 64L << 20);
      resources(j).putObject("pids").put("limit", 42);
      resources(j).putObject("cpu").put("quota", 50000).put("period", 100000).put("cpus", "0");
    });
    String id = newId("sd");
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    String unit = "jocker-" + id + ".scope";
    int pid = rt.state(id).pid();
    assertThat(Files.readString(Path.of("/proc/" + pid + "/cgroup")).trim())
        .isEqualTo("0::/system.slice/" + unit);
    Path dir = scopeDir(id);
    assertThat(Files.readString(dir.resolve("memory.max")).trim()).isEqualTo(Long.toString(64L << 20));
    assertThat(Files.readString(dir.resolve("pids.max")).trim()).isEqualTo("42");
    assertThat(Files.readString(dir.resolve("cpu.max")).trim()).isEqualTo("50000 100000");
    assertThat(show(unit, "MemoryMax")).isEqualTo(Long.toString(64L << 20));
    assertThat(show(unit, "TasksMax")).isEqualTo("42");
    assertThat(show(unit, "CPUQuotaPerSecUSec")).isEqualTo("500ms");
    assertThat(show(unit, "AllowedCPUs")).isEqualTo("0");
    assertThat(Files.readString(dir.resolve("cpuset.cpus")).trim()).isEqualTo("0");
    assertThat(show(unit, "Delegate")).isEqualTo("yes");
    assertThat(show(unit, "ActiveState")).isEqualTo("active");
    // The monitor is in a scope of its own, beside the container's.
    int monitor = monitorPid(id);
    assertThat(Files.readString(Path.of("/proc/" + monitor + "/cgroup")).trim())
        .isEqualTo("0::/system.slice/jocker-monitor-" + id + ".scope");

    rt.start(id);
    assertThat(rt.awaitExit(id).code()).isZero();
    // Inside, its own cgroup namespace: the scope is its root, with the limits.
    assertThat(b.read("stdout").lines().toList()).containsExactly("0::/", Long.toString(64L << 20), "42");
    assertThat(rt.state(id).status()).isEqualTo(Status.stopped);

    rt.delete(id, false);
    assertThat(dir).doesNotExist();
    assertThat(show(unit, "LoadState")).isEqualTo("not-found");
    assertThat(awaitGone(CGROUP2.resolve("system.slice/jocker-monitor-" + id + ".scope")))
        .as("the monitor's scope goes with the monitor").isTrue();
  }

  @Test
  void theRecordKeepsTheScopeSoAnyRuntimeFindsIt() throws Exception {
    Bundle b = shBundle("sleep 60", j -> {});
    String id = newId("sdp");
    editConfig(b.dir(), j -> j.with("linux").put("cgroupsPath", "system.slice:jtest:" + id));
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    assertThat(Files.readString(Path.of("/proc/" + rt.state(id).pid() + "/cgroup")).trim())
        .isEqualTo("0::/system.slice/jtest-" + id + ".scope");
    // A runtime given the cgroupfs driver acts on the scope all the same: the record names it.
    ContainerRuntime cgroupfs = new ContainerRuntime(tmp.resolve("state"), new LinuxKernel(), Launcher.locate());
    cgroupfs.delete(id, true);
    assertThat(CGROUP2.resolve("system.slice/jtest-" + id + ".scope")).doesNotExist();
    assertThat(show("jtest-" + id + ".scope", "LoadState")).isEqualTo("not-found");
  }

  @Test
  void aCgroupsPathNotInSlicePrefixNameFormIsRefused() throws Exception {
    Bundle b = shBundle("true", j -> j.with("linux").put("cgroupsPath", "/jocker/plain"));
    String id = newId("sdbad");
    assertThatThrownBy(() -> rt.create(id, b.dir(), CreateOptions.DEFAULT))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("slice:prefix:name");
    assertThat(rt.list()).isEmpty();
  }

  @Test
  void outOfMemoryPauseUpdateAndKillAllWorkInTheScope() throws Exception {
    // The hog is a child of the shell, which outlives it by a second and reports how it ended.
    Bundle hog = shBundle("tail /dev/zero; echo $? > /out/hog; sleep 1",
        j -> resources(j).putObject("memory").put("limit", 16L << 20));
    String oom = newId("sdoom");
    rt.create(oom, hog.dir(), CreateOptions.DEFAULT);
    rt.start(oom);
    assertThat(rt.awaitExit(oom).code()).isZero();
    assertThat(hog.read("hog").trim()).isEqualTo("137");
    // The scope went with its last process: the count is the one its monitor recorded.
    assertThat(awaitGone(scopeDir(oom))).isTrue();
    assertThat(rt.oomKillCount(oom)).isGreaterThanOrEqualTo(1);
    assertThat(rt.stats(oom).oomKillCount()).isGreaterThanOrEqualTo(1);

    Bundle b = shBundle("sleep 60 & sleep 61 & echo started > /out/ready; wait", j -> {});
    String id = newId("sdpause");
    // No pids limit asked: none set, as with cgroupfs (not systemd's DefaultTasksMax for scopes).
    rt.create(id, b.dir(), CreateOptions.DEFAULT);
    rt.start(id);
    Path ready = b.out().resolve("ready");
    for (int i = 0; i < 3000 && !Files.exists(ready); i++) {
      Thread.sleep(10);
    }
    assertThat(rt.processes(id)).hasSize(3);
    assertThat(Files.readString(scopeDir(id).resolve("pids.max")).trim()).isEqualTo("max");
    rt.pause(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.paused);
    assertThat(Files.readString(scopeDir(id).resolve("cgroup.freeze")).trim()).isEqualTo("1");
    rt.resume(id);
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    // update: the unit's properties and the files
    rt.update(id, new Spec.Resources(null, new Spec.Memory(32L << 20, null, null, null, null, null, null), null,
        new Spec.Pids(17), null, null));
    String unit = "jocker-" + id + ".scope";
    assertThat(show(unit, "MemoryMax")).isEqualTo(Long.toString(32L << 20));
    assertThat(show(unit, "TasksMax")).isEqualTo("17");
    assertThat(Files.readString(scopeDir(id).resolve("memory.max")).trim()).isEqualTo(Long.toString(32L << 20));
    assertThat(Files.readString(scopeDir(id).resolve("pids.max")).trim()).isEqualTo("17");
    rt.kill(id, 9, true);
    assertThat(rt.awaitExit(id).signal()).isEqualTo(9);
    assertThat(rt.processes(id)).isEmpty();
  }

  /**
   * A unit that starts a container and is then stopped (an engine's service restarting, with the
   * default KillMode=control-group) kills every process in its cgroup: the monitor, in a scope of
   * its own, is not among them, and the container keeps running and answering.
   */
  @Test
  void theMonitorOutlivesTheUnitThatStartedIt() throws Exception {
    monitorOutlivesTheUnitThatStartedIt(CgroupDriver.SYSTEMD);
  }

  /** The same with the cgroupfs driver: where systemd runs the monitor gets its scope all the same. */
  @Test
  void theMonitorOfACgroupfsContainerOutlivesTheUnitThatStartedIt() throws Exception {
    monitorOutlivesTheUnitThatStartedIt(CgroupDriver.CGROUPFS);
  }

  private void monitorOutlivesTheUnitThatStartedIt(CgroupDriver driver) throws Exception {
    Bundle b = shBundle("sleep 300", j -> {});
    String id = newId("sdsvc");
    String service = "jocker-test-starter-" + id + ".service";
    units.add(service);
    ProcessHandle.Info self = ProcessHandle.current().info();
    List<String> argv = new ArrayList<>(List.of("systemd-run", "--unit=" + service, "--collect",
        "--property=KillMode=control-group", "--", self.command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-Djocker.launcher=" + Launcher.locate(),
        "-cp", System.getProperty("java.class.path"), StartDetached.class.getName(),
        tmp.resolve("state").toString(), b.dir().toString(), id, driver.optionName()));
    assertThat(command(argv.toArray(String[]::new))).isZero();
    for (int i = 0; i < 1200 && !running(id); i++) {
      Thread.sleep(100);
    }
    assertThat(running(id)).as("the service started the container").isTrue();
    int monitor = monitorPid(id);
    assertThat(Files.readString(Path.of("/proc/" + monitor + "/cgroup")).trim())
        .isEqualTo("0::/system.slice/jocker-monitor-" + id + ".scope");
    assertThat(Files.readString(Path.of("/proc/" + rt.state(id).pid() + "/cgroup")).trim())
        .isEqualTo(driver == CgroupDriver.SYSTEMD ? "0::/system.slice/jocker-" + id + ".scope" : "0::/jocker/" + id);
    long starter = Long.parseLong(show(service, "MainPID"));
    assertThat(starter).isPositive();

    assertThat(command("systemctl", "stop", service)).isZero();
    assertThat(ProcessHandle.of(starter).map(ProcessHandle::isAlive).orElse(false))
        .as("the starter died with its unit").isFalse();
    assertThat(ProcessHandle.of(monitor).map(ProcessHandle::isAlive).orElse(false))
        .as("the monitor outlived the unit").isTrue();
    assertThat(rt.state(id).status()).isEqualTo(Status.running);
    rt.kill(id, 9, false); // the shell is pid 1 of its namespace: TERM would be ignored
    assertThat(rt.awaitExit(id).signal()).isEqualTo(9);
  }

  private boolean running(String id) {
    try {
      return rt.state(id).status() == Status.running;
    } catch (RuntimeException e) {
      return false; // not created yet
    }
  }

  private static boolean awaitGone(Path p) throws InterruptedException {
    for (int i = 0; i < 500 && Files.exists(p); i++) {
      Thread.sleep(20);
    }
    return !Files.exists(p);
  }

  /** A unit property as systemctl shows it. */
  static String show(String unit, String property) throws Exception {
    Process p = new ProcessBuilder("systemctl", "show", "--value", "-p", property, unit)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  static int command(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", argv)).isTrue();
    return p.exitValue();
  }
}
