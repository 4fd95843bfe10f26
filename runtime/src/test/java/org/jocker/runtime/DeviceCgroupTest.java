package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.Hierarchy;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.testing.HostDisk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The escape a default container must not make: mknod a host disk and open it. Run twice: with this
 * host's layout (on a hybrid host, the v1 devices controller) and with the same layout minus any
 * v1 devices hierarchy, as on a pure cgroup v2 host, where only the eBPF device filter stands in
 * the way. In that second run the container's v1 devices cgroup is ours, which allows everything,
 * so an EPERM can only come from the filter; the disk is one this test process can open.
 */
class DeviceCgroupTest extends KernelTestBase {

  private static Optional<Hierarchy> v1DevicesHierarchy() {
    return CgroupLayout.detect().hierarchies().stream()
        .filter(h -> !h.unified() && h.controllers().contains("devices")).findFirst();
  }

  /** The runtime, driving device rules as a host without a v1 devices hierarchy would. */
  private void withoutV1Devices() throws IOException {
    CgroupLayout host = CgroupLayout.detect();
    assumeTrue(host.unified().isPresent(), "needs a cgroup2 mount");
    List<Hierarchy> kept = host.hierarchies().stream()
        .filter(h -> h.unified() || !h.controllers().contains("devices"))
        .toList();
    Optional<Path> v1Devices = v1DevicesHierarchy().map(h -> h.mountPoint().resolve("devices.list"));
    if (v1Devices.isPresent()) {
      assertThat(Files.readString(Path.of("/proc/self/cgroup"))).containsPattern("(?m)^\\d+:devices:/$");
      assertThat(Files.readString(v1Devices.get()).strip()).isEqualTo("a *:* rwm");
    }
    rt = new ContainerRuntime(tmp.resolve("state-v2"), new LinuxKernel(), Launcher.locate(),
        new CgroupLayout(kept));
  }

  @ParameterizedTest(name = "v1 devices controller: {0}")
  @ValueSource(booleans = {true, false})
  void aDefaultContainerCannotOpenAHostDiskItMakes(boolean v1Devices) throws Exception {
    if (v1Devices) {
      assumeTrue(v1DevicesHierarchy().isPresent(), "needs a v1 devices hierarchy");
    } else {
      withoutV1Devices();
    }
    HostDisk disk = HostDisk.find(tmp);

    Result r = sh("mknod /out/disk b " + disk.major() + " " + disk.minor() + " && echo mknod-ok\n"
        + "(exec 3</out/disk) 2>&1 && echo disk-opened\n"
        + "echo x >/dev/null && echo null-ok\n"
        + "[ \"$(head -c 4 /dev/zero | wc -c)\" = 4 ] && echo zero-ok\n"
        + "mknod /out/null c 1 3 && echo x >/out/null && echo own-null-ok\n");

    assertThat(r.out()).contains("mknod-ok", "Operation not permitted", "null-ok", "zero-ok", "own-null-ok")
        .doesNotContain("disk-opened");
  }

  @ParameterizedTest(name = "v1 devices controller: {0}")
  @ValueSource(booleans = {true, false})
  void aDeviceGivenToTheContainerOpens(boolean v1Devices) throws Exception {
    if (v1Devices) {
      assumeTrue(v1DevicesHierarchy().isPresent(), "needs a v1 devices hierarchy");
    } else {
      withoutV1Devices();
    }
    HostDisk disk = HostDisk.find(tmp);

    // What the engine's --device /dev/x:r makes: the node, and a rule with those permissions.
    Result r = sh("(exec 3</dev/hostdisk) 2>&1 && echo device-opened\n"
        + "(exec 3>>/dev/hostdisk) 2>&1 && echo device-written\n", j -> giveDisk(j, disk));

    assertThat(r.out()).contains("device-opened", "Operation not permitted").doesNotContain("device-written");
  }

  /** runc's bats "device cgroup deny": a device of linux.devices without a rule is made, not usable. */
  @ParameterizedTest(name = "v1 devices controller: {0}")
  @ValueSource(booleans = {true, false})
  void aDeviceGivenWithoutARuleIsMadeButRefused(boolean v1Devices) throws Exception {
    if (v1Devices) {
      assumeTrue(v1DevicesHierarchy().isPresent(), "needs a v1 devices hierarchy");
    } else {
      withoutV1Devices();
    }
    HostDisk disk = HostDisk.find(tmp);
    Result r = sh("[ -b /dev/hostdisk ] && echo made\n(exec 3</dev/hostdisk) 2>&1 && echo device-opened\n",
        j -> j.withArray("/linux/devices").addObject().put("path", "/dev/hostdisk").put("type", "b")
            .put("major", disk.major()).put("minor", disk.minor()).put("fileMode", 0600));
    assertThat(r.out()).contains("made", "Operation not permitted").doesNotContain("device-opened");
  }

  private static void giveDisk(ObjectNode j, HostDisk disk) {
    j.withArray("/linux/devices").addObject().put("path", "/dev/hostdisk").put("type", "b")
        .put("major", disk.major()).put("minor", disk.minor()).put("fileMode", 0600);
    j.withArray("/linux/resources/devices").addObject().put("allow", true).put("type", "b")
        .put("major", disk.major()).put("minor", disk.minor()).put("access", "r");
  }
}
