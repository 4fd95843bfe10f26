package org.jocker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.spec.RunOptions;
import org.jocker.runtime.CgroupDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine with the systemd cgroup driver (`--cgroup-manager systemd`, the default where systemd
 * runs), in the v2 VM: a container is its scope, with the limits; an OOM kill is still reported
 * by inspect once the scope, which goes with its last process, has gone. Skipped without systemd.
 */
class EngineSystemdDriverTest extends EngineTestBase {
  @Override
  protected CgroupDriver cgroupDriver() {
    return CgroupDriver.SYSTEMD;
  }

  @BeforeEach
  void systemdRuns() {
    Assumptions.assumeTrue(CgroupDriver.systemdRunning(),
        "systemd is not this host's init (/run/systemd/system is missing): the systemd driver cannot run");
  }

  @AfterEach
  void removeAll() {
    removeAllContainers();
  }

  @Test
  void aContainerIsAScopeWithItsLimitsAndRemoveStopsIt() throws Exception {
    HostConfig.Builder limits = HostConfig.builder();
    limits.memory = 48L << 20;
    String id = engine().runDetached(new RunOptions("busybox", List.of("sleep", "300"), null, List.of(), null, null,
        null, "scoped", false, false, limits.build()));
    JsonNode state = engine().operations().inspect("scoped").get("State");
    int pid = state.get("Pid").asInt();
    String cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup")).trim();
    assertThat(cgroup).isEqualTo("0::/system.slice/jocker-" + id + ".scope");
    Path scope = Path.of("/sys/fs/cgroup/system.slice/jocker-" + id + ".scope");
    assertThat(Files.readString(scope.resolve("memory.max")).trim()).isEqualTo(Long.toString(48L << 20));
    engine().remove("scoped", true);
    assertThat(scope).doesNotExist();
  }

  @Test
  void anOomKillIsReportedAfterTheScopeHasGone() {
    HostConfig.Builder limits = HostConfig.builder();
    limits.memory = 16L << 20;
    // The hog is a child of the shell, which outlives it: the kill is counted while the scope is there.
    RunOptions options = new RunOptions("busybox", List.of("sh", "-c", "tail /dev/zero; sleep 1"), null, List.of(),
        null, null, null, "hog", false, false, limits.build());
    assertThat(Captured.of(kernel, io -> engine().run(options, io)).code()).isZero();
    JsonNode state = engine().operations().inspect("hog").get("State");
    assertThat(state.get("Status").asText()).isEqualTo("exited");
    assertThat(state.get("OOMKilled").asBoolean()).isTrue();
    assertThat(Path.of("/sys/fs/cgroup/system.slice/jocker-" + engine().operations().inspect("hog").get("Id").asText()
        + ".scope")).doesNotExist();
  }
}
