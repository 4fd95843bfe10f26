package org.jocker.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.container.HostConfig;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --device's text by Docker's CLI rules, and the host's nodes it names. */
class DevicesTest {
  @TempDir Path tmp;

  @Test
  void parseAsDockersCli() {
    assertThat(Devices.parse("/dev/fuse")).isEqualTo(new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm"));
    assertThat(Devices.parse("/dev/fuse:r")).isEqualTo(new HostConfig.DeviceMapping("/dev/fuse", "/dev/fuse", "r"));
    assertThat(Devices.parse("/dev/fuse:/dev/f/")).isEqualTo(new HostConfig.DeviceMapping("/dev/fuse", "/dev/f", "rwm"));
    assertThat(Devices.parse("/dev/fuse:/dev/f:mw")).isEqualTo(new HostConfig.DeviceMapping("/dev/fuse", "/dev/f", "mw"));
    assertThatThrownBy(() -> Devices.parse("/a:/b:r:w")).hasMessageEndingWith("bad format for path: /a:/b:r:w");
    assertThatThrownBy(() -> Devices.parse(":/b")).hasMessageEndingWith("bad format for path: :/b");
    assertThatThrownBy(() -> Devices.parse("/a:/b:rr")).hasMessageEndingWith("bad mode specified: rr");
    assertThatThrownBy(() -> Devices.parse("/a:b")).hasMessage(
        "invalid argument \"/a:b\" for \"--device\" flag: b is not an absolute path");
  }

  @Test
  void resolveReadsTheHostsNodeAndGivesTheRuleAsked() throws Exception {
    Files.writeString(tmp.resolve("file"), "not a device");
    Devices.Resolved r = Devices.resolve(List.of(new HostConfig.DeviceMapping("/dev/null", "/dev/other", "rw")));
    assertThat(r.nodes()).containsExactly(new Spec.Device("c", "/dev/other", 1L, 3L, 0666, 0L, 0L));
    assertThat(r.rules()).containsExactly(new Spec.DeviceRule(true, "c", 1L, 3L, "rw"));
    assertThatThrownBy(() -> Devices.resolve(List.of(new HostConfig.DeviceMapping(tmp.toString(), "/x", "rwm"))))
        .hasMessage("error gathering device information while adding custom device \"" + tmp + "\": not a device node");
    // A directory gives the devices under it, at the same place under the container path.
    Files.createDirectories(tmp.resolve("sub"));
    assertThat(new ProcessBuilder("mknod", tmp.resolve("sub/zero").toString(), "c", "1", "5").start().waitFor())
        .isZero();
    assertThat(Devices.resolve(List.of(new HostConfig.DeviceMapping(tmp.toString(), "/x", "r"))).nodes())
        .extracting(Spec.Device::path, Spec.Device::minor).containsExactly(org.assertj.core.groups.Tuple.tuple("/x/sub/zero", 5L));
    Files.delete(tmp.resolve("sub/zero"));
    assertThatThrownBy(() -> Devices.resolve(List.of(new HostConfig.DeviceMapping("/dev/nope", "/x", "rwm"))))
        .hasMessage("error gathering device information while adding custom device \"/dev/nope\": no such file or directory");
  }
}
