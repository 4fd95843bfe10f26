package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pure cgroup2 host, simulated by a temp dir holding the files the kernel would create. */
class CgroupV2FakeTreeTest {
  private static final String MOUNTINFO =
      "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

  @TempDir Path root;
  Path mount;
  Path leaf;
  CgroupfsManager manager;

  @BeforeEach
  void fakeTree() throws IOException {
    mount = root.resolve("sys/fs/cgroup");
    cgroupDir(mount, "cpuset cpu io memory pids hugetlb");
    cgroupDir(mount.resolve("jocker"), "");
    CgroupLayout layout = CgroupLayout.parse(MOUNTINFO, "0::/init.scope\n", root);
    manager = (CgroupfsManager) Cgroups.forContainer(layout, null, "c1");
    leaf = mount.resolve("jocker/c1");
  }

  private static void cgroupDir(Path dir, String controllers) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cgroup.controllers"), controllers);
    Files.writeString(dir.resolve("cgroup.subtree_control"), "");
  }

  /** What the kernel would show in the new leaf once its parents enable the controllers. */
  private void kernelPopulatesLeaf() throws IOException {
    for (String f : List.of("cgroup.procs", "cgroup.freeze", "memory.max", "memory.low",
        "memory.swap.max", "cpu.weight", "cpu.max", "cpuset.cpus", "cpuset.mems", "pids.max",
        "io.weight", "io.max", "hugetlb.2MB.max", "memory.high", "memory.oom.group")) {
      Files.writeString(leaf.resolve(f), "");
    }
    Files.writeString(leaf.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
    Files.writeString(leaf.resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 2\noom_kill 2\n");
    Files.writeString(leaf.resolve("memory.current"), "4096\n");
    Files.writeString(leaf.resolve("cpu.stat"), "usage_usec 7\nuser_usec 5\nsystem_usec 2\n");
    Files.writeString(leaf.resolve("pids.current"), "1\n");
  }

  private String read(String file) throws IOException {
    return Files.readString(leaf.resolve(file));
  }

  @Test
  void createMakesTheLeafAndEnablesDrivenControllersInEveryParent() throws IOException {
    manager.create();

    assertThat(leaf).isDirectory();
    // hugetlb is enabled only for a container asking for it (apply), so not on the way down
    assertThat(Files.readString(mount.resolve("cgroup.subtree_control")))
        .isEqualTo("+memory +cpu +cpuset +pids +io");
    assertThat(Files.readString(mount.resolve("jocker/cgroup.subtree_control")))
        .isEqualTo("+memory +cpu +cpuset +pids +io");
    assertThat(manager.procsFiles()).containsExactly(leaf.resolve("cgroup.procs"));
  }

  @Test
  void applyWritesV2FilesWithRuncConversions() throws IOException {
    manager.create();
    kernelPopulatesLeaf();

    manager.apply(new Spec.Resources(
        null, // device rules become an eBPF program, which needs a real cgroup2 dir: DeviceFilterKernelTest
        new Spec.Memory(64L << 20, 32L << 20, 96L << 20, null, null, 60L, true),
        new Spec.Cpu(1024L, 50000L, 100000L, null, null, "0-1", "0", null),
        new Spec.Pids(100),
        new Spec.BlockIo(500, null),
        Map.of("memory.high", "50000000")));

    assertThat(read("memory.max")).isEqualTo(Long.toString(64L << 20));
    assertThat(read("memory.low")).isEqualTo(Long.toString(32L << 20));
    assertThat(read("memory.swap.max")).isEqualTo(Long.toString(32L << 20)); // 96M total - 64M
    assertThat(read("cpu.weight")).isEqualTo("39");
    assertThat(read("cpu.max")).isEqualTo("50000 100000");
    assertThat(read("cpuset.cpus")).isEqualTo("0-1");
    assertThat(read("cpuset.mems")).isEqualTo("0");
    assertThat(read("pids.max")).isEqualTo("100");
    assertThat(read("io.weight")).isEqualTo(Long.toString(V2Io.ioWeight(500)));
    assertThat(read("memory.high")).isEqualTo("50000000");
  }

  @Test
  void blockIoDevicesGoToIoMaxAndPerDeviceWeights() throws IOException {
    manager.create();
    kernelPopulatesLeaf();
    Spec.BlockIo io = new Spec.BlockIo(null, 700, List.of(new Spec.WeightDevice(8, 0, 200, 300)),
        List.of(new Spec.ThrottleDevice(8, 0, 1048576)), null, null, null);

    manager.apply(new Spec.Resources(null, null, null, null, io, null));
    // each write replaces the fake file: the last line written is what is left
    assertThat(read("io.max")).isEqualTo("8:0 rbps=1048576");
    assertThat(read("io.weight")).isEqualTo("8:0 " + V2Io.ioWeight(200)); // leaf weights: none on v2

    Files.writeString(leaf.resolve("io.bfq.weight"), "");
    manager.apply(new Spec.Resources(null, null, null, null,
        new Spec.BlockIo(null, null, List.of(new Spec.WeightDevice(8, 0, 200, null)), null, null, null, null), null));
    assertThat(read("io.bfq.weight")).isEqualTo("8:0 200"); // BFQ keeps v1's scale
  }

  @Test
  void oomGroupIsLeftToTheKernelUnlessUnifiedAsksForIt() throws IOException {
    manager.create();
    kernelPopulatesLeaf();

    manager.apply(new Spec.Resources(null, new Spec.Memory(64L << 20, null, null, null, null, null, null),
        null, null, null, null));
    assertThat(read("memory.oom.group")).isEmpty(); // as runc and crun: not written
    manager.apply(new Spec.Resources(null, null, null, null, null, Map.of("memory.oom.group", "1")));
    assertThat(read("memory.oom.group")).isEqualTo("1");
  }

  @Test
  void unlimitedValuesAndQuotaWithoutLimit() throws IOException {
    manager.create();
    kernelPopulatesLeaf();

    manager.apply(new Spec.Resources(null,
        new Spec.Memory(-1L, null, null, null, null, null, null),
        new Spec.Cpu(null, -1L, 20000L, null, null, null, null, null),
        new Spec.Pids(-1), null, null));

    assertThat(read("memory.max")).isEqualTo("max");
    assertThat(read("memory.swap.max")).isEqualTo("max");
    assertThat(read("cpu.max")).isEqualTo("max 20000");
    assertThat(read("pids.max")).isEqualTo("max");
  }

  @Test
  void aPeriodAloneKeepsTheQuotaInPlace() throws IOException {
    manager.create();
    kernelPopulatesLeaf();
    Files.writeString(leaf.resolve("cpu.max"), "30000 100000\n");

    manager.apply(new Spec.Resources(null, null, new Spec.Cpu(null, null, 50000L, null, null, null, null, null),
        null, null, null));

    assertThat(read("cpu.max")).isEqualTo("30000 50000");
  }

  @Test
  void unifiedKeysEnableTheirControllerAndMustStayInTheLeaf() throws IOException {
    manager.create();
    kernelPopulatesLeaf();

    manager.apply(new Spec.Resources(null, null, null, null, null, Map.of("hugetlb.2MB.max", "0")));
    assertThat(read("hugetlb.2MB.max")).isEqualTo("0");
    assertThat(Files.readString(mount.resolve("jocker/cgroup.subtree_control")))
        .isEqualTo("+hugetlb");

    assertThatThrownBy(() -> manager.apply(
        new Spec.Resources(null, null, null, null, null, Map.of("../escape", "1"))))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("\"../escape\"");
  }

  @Test
  void realtimeIsRejectedOnV2AndMissingFilesAreNamed() throws IOException {
    manager.create();
    kernelPopulatesLeaf();
    Files.delete(leaf.resolve("pids.max"));

    assertThatThrownBy(() -> manager.apply(new Spec.Resources(null, null,
        new Spec.Cpu(null, null, null, 950000L, 1000000L, null, null, null), null, null, null)))
        .hasMessageContaining("realtime");
    assertThatThrownBy(() -> manager.apply(
        new Spec.Resources(null, null, null, new Spec.Pids(5), null, null)))
        .hasMessage("cgroup pids: cannot set pids.max to 5 in " + leaf
            + ": No such file or directory");
  }

  @Test
  void freezeWritesCgroupFreezeAndWaitsForEvents() throws IOException {
    manager.create();
    kernelPopulatesLeaf();

    Files.writeString(leaf.resolve("cgroup.events"), "populated 1\nfrozen 1\n"); // kernel done
    manager.freeze();
    assertThat(read("cgroup.freeze")).isEqualTo("1");
    assertThat(manager.isFrozen()).isTrue();

    Files.writeString(leaf.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
    manager.thaw();
    assertThat(read("cgroup.freeze")).isEqualTo("0");
    assertThat(manager.isFrozen()).isFalse();
  }

  @Test
  void statsAndOomKillsComeFromV2Files() throws IOException {
    manager.create();
    kernelPopulatesLeaf();
    Files.writeString(leaf.resolve("memory.max"), "max\n");
    Files.writeString(leaf.resolve("pids.max"), "100\n");

    CgroupStats s = manager.stats();

    assertThat(s.memory().usage()).isEqualTo(4096);
    assertThat(s.memory().limit()).isEqualTo(CgroupStats.UNLIMITED);
    assertThat(s.cpu().usageNanos()).isEqualTo(7000);
    assertThat(s.cpu().userNanos()).hasValue(5000);
    assertThat(s.pids()).isEqualTo(new CgroupStats.Pids(1, 100));
    assertThat(s.oomKillCount()).isEqualTo(2);
    assertThat(manager.oomKillCount()).isEqualTo(2);
  }
}
