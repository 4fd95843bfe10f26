package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupLayoutTest {
  static final String HYBRID_MOUNTINFO = """
      31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
      34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
      35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
      37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
      38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
      39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;
  static final String HYBRID_SELF = """
      9:name=systemd:/
      8:pids:/
      4:memory:/process_api/abc
      1:cpu:/
      0::/
      """;

  @Test
  void hybridBindsEachControllerToItsOwnV1MountAndTheRestToCgroup2(@TempDir Path root)
      throws IOException {
    Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));
    Files.writeString(root.resolve("sys/fs/cgroup/unified/cgroup.controllers"), "hugetlb\n");

    CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTINFO, HYBRID_SELF, root);

    assertThat(layout.hierarchies()).hasSize(9); // 8 v1 controllers + unified; name=systemd skipped
    Hierarchy memory = layout.hierarchyFor("memory").orElseThrow();
    assertThat(memory.unified()).isFalse();
    assertThat(memory.mountPoint()).isEqualTo(root.resolve("sys/fs/cgroup/memory"));
    assertThat(memory.ownDir()).isEqualTo(root.resolve("sys/fs/cgroup/memory/process_api/abc"));
    assertThat(layout.hierarchyFor("cpu").orElseThrow())
        .isNotEqualTo(layout.hierarchyFor("cpuacct").orElseThrow());
    assertThat(layout.hierarchyFor("hugetlb").orElseThrow().unified()).isTrue();
    assertThat(layout.hierarchyFor("io")).isEmpty();
    assertThat(layout.unified().orElseThrow().controllers()).containsExactly("hugetlb");
  }

  @Test
  void pureV1WithCombinedCpuHierarchyAndPartialMountRoot(@TempDir Path root) {
    String mountinfo = """
        25 20 0:22 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
        26 20 0:23 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
        27 20 0:24 / /mnt/with\\040space rw - cgroup cgroup rw,pids
        """;
    String self = "3:cpu,cpuacct:/docker/abc/inner\n2:memory:/docker/abc\n1:pids:/\n";

    CgroupLayout layout = CgroupLayout.parse(mountinfo, self, root);

    Hierarchy cpu = layout.hierarchyFor("cpu").orElseThrow();
    assertThat(layout.hierarchyFor("cpuacct")).contains(cpu);
    assertThat(cpu.name()).isEqualTo("cpu,cpuacct");
    assertThat(cpu.ownDir()).isEqualTo(root.resolve("sys/fs/cgroup/cpu,cpuacct/inner"));
    assertThat(layout.hierarchyFor("memory").orElseThrow().ownDir())
        .isEqualTo(root.resolve("sys/fs/cgroup/memory"));
    assertThat(layout.hierarchyFor("pids").orElseThrow().mountPoint())
        .isEqualTo(root.resolve("mnt/with space"));
    assertThat(layout.unified()).isEmpty();
  }

  @Test
  void pureV2ReadsControllersFromCgroupControllers(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("sys/fs/cgroup"));
    Files.writeString(root.resolve("sys/fs/cgroup/cgroup.controllers"), "cpuset cpu io memory pids\n");
    String mountinfo =
        "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

    CgroupLayout layout = CgroupLayout.parse(mountinfo, "0::/user.slice/session-1.scope\n", root);

    assertThat(layout.hierarchies()).hasSize(1);
    Hierarchy unified = layout.hierarchyFor("memory").orElseThrow();
    assertThat(unified.unified()).isTrue();
    assertThat(unified.controllers()).isEqualTo(Set.of("cpuset", "cpu", "io", "memory", "pids"));
    assertThat(unified.ownDir())
        .isEqualTo(root.resolve("sys/fs/cgroup/user.slice/session-1.scope"));
    assertThat(layout.hierarchyFor("freezer")).isEmpty();
  }
}
