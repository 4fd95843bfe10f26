package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.spec.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hugepageLimits and network on simulated hosts (a temp dir holding the files the kernel would
 * make): v1 hugetlb, net_cls and net_prio hierarchies; a pure cgroup2 host with hugetlb; and hosts
 * lacking a controller, where asking for it fails naming the field.
 */
class HugetlbAndNetworkFakeTreeTest {
  private static final String V1_MOUNTINFO = """
      32 31 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
      33 31 0:30 / /sys/fs/cgroup/hugetlb rw - cgroup cgroup rw,hugetlb
      34 31 0:31 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio
      41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
      """;
  private static final String V2_MOUNTINFO =
      "30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
  private static final long LIMIT = 64L << 20;

  @TempDir Path root;
  Path cgroupfs;
  HugePageSizes sizes;

  @BeforeEach
  void hostWithTwoPageSizes() throws IOException {
    cgroupfs = root.resolve("sys/fs/cgroup");
    Path sysfs = root.resolve("sys/kernel/mm/hugepages");
    Files.createDirectories(sysfs.resolve("hugepages-2048kB"));
    Files.createDirectories(sysfs.resolve("hugepages-1048576kB"));
    sizes = new HugePageSizes(sysfs);
  }

  private CgroupfsManager manager(String mountinfo, String v2Controllers) throws IOException {
    Path unified = mountinfo.equals(V2_MOUNTINFO) ? cgroupfs : cgroupfs.resolve("unified");
    for (Path d : List.of(unified, unified.resolve("jocker"))) {
      Files.createDirectories(d);
      Files.writeString(d.resolve("cgroup.controllers"), v2Controllers);
      Files.writeString(d.resolve("cgroup.subtree_control"), "");
    }
    CgroupLayout layout = CgroupLayout.parse(mountinfo, "0::/\n", root);
    return new CgroupfsManager(Controllers.select(layout, sizes), CgroupPath.of(null, "c1"));
  }

  /** What the kernel shows in a new directory: the files named, empty. */
  private static Path populated(Path dir, String... files) throws IOException {
    for (String f : files) {
      Files.writeString(dir.resolve(f), "");
    }
    return dir;
  }

  private static Spec.Resources hugepages(Spec.HugepageLimit... limits) {
    return new Spec.Resources(null, null, null, null, null, null, List.of(limits), null);
  }

  private static Spec.Resources network(Long classId, Spec.InterfacePriority... priorities) {
    return new Spec.Resources(null, null, null, null, null, null, null,
        new Spec.Network(classId, List.of(priorities)));
  }

  @Test
  void v1HierarchiesAreJoinedAndGetTheLimitsTagAndPriority() throws IOException {
    CgroupfsManager manager = manager(V1_MOUNTINFO, "");
    manager.create();
    Path hugetlb = populated(manager.dirOf("hugetlb").orElseThrow(),
        "hugetlb.2MB.limit_in_bytes", "hugetlb.2MB.rsvd.limit_in_bytes", "hugetlb.1GB.limit_in_bytes");
    Path net = populated(manager.dirOf("net_cls").orElseThrow(), "net_cls.classid", "net_prio.ifpriomap");

    manager.apply(new Spec.Resources(null, null, null, null, null, null,
        List.of(new Spec.HugepageLimit("2MB", LIMIT), new Spec.HugepageLimit("1GB", 0)),
        new Spec.Network(0x10001L, List.of(new Spec.InterfacePriority("lo", 7)))));

    assertThat(manager.procsFiles()).contains(hugetlb.resolve("cgroup.procs"), net.resolve("cgroup.procs"));
    assertThat(hugetlb).isEqualTo(cgroupfs.resolve("hugetlb/jocker/c1"));
    assertThat(Files.readString(hugetlb.resolve("hugetlb.2MB.limit_in_bytes"))).isEqualTo(Long.toString(LIMIT));
    assertThat(Files.readString(hugetlb.resolve("hugetlb.2MB.rsvd.limit_in_bytes"))).isEqualTo(Long.toString(LIMIT));
    assertThat(Files.readString(hugetlb.resolve("hugetlb.1GB.limit_in_bytes"))).isEqualTo("0");
    assertThat(hugetlb.resolve("hugetlb.1GB.rsvd.limit_in_bytes")).doesNotExist(); // an older kernel's
    assertThat(Files.readString(net.resolve("net_cls.classid"))).isEqualTo("65537");
    assertThat(Files.readString(net.resolve("net_prio.ifpriomap"))).isEqualTo("lo 7");
  }

  @Test
  void cgroup2EnablesHugetlbOnlyForAContainerAskingForIt() throws IOException {
    CgroupfsManager manager = manager(V2_MOUNTINFO, "memory pids hugetlb");
    manager.create();
    assertThat(Files.readString(cgroupfs.resolve("jocker/cgroup.subtree_control"))).isEqualTo("+memory +pids");
    Path leaf = populated(cgroupfs.resolve("jocker/c1"), "hugetlb.2MB.max", "hugetlb.2MB.rsvd.max");

    manager.apply(hugepages(new Spec.HugepageLimit("2MB", LIMIT)));

    assertThat(Files.readString(cgroupfs.resolve("cgroup.subtree_control"))).isEqualTo("+hugetlb");
    assertThat(Files.readString(cgroupfs.resolve("jocker/cgroup.subtree_control"))).isEqualTo("+hugetlb");
    assertThat(Files.readString(leaf.resolve("hugetlb.2MB.max"))).isEqualTo(Long.toString(LIMIT));
    assertThat(Files.readString(leaf.resolve("hugetlb.2MB.rsvd.max"))).isEqualTo(Long.toString(LIMIT));
  }

  @Test
  void anUnknownPageSizeIsNamedWithTheHostsSizes() throws IOException {
    CgroupfsManager manager = manager(V2_MOUNTINFO, "hugetlb");
    manager.create();
    populated(cgroupfs.resolve("jocker/c1"), "hugetlb.2MB.max");

    assertThatThrownBy(() -> manager.apply(hugepages(new Spec.HugepageLimit("3MB", LIMIT))))
        .isInstanceOf(CgroupException.class)
        .hasMessage("cgroup hugetlb: linux.resources.hugepageLimits: page size \"3MB\" is not one of this"
            + " host's (2MB, 1GB, from " + sizes.dir() + ")");
    assertThat(cgroupfs.resolve("jocker/c1/hugetlb.2MB.max")).isEmptyFile();
  }

  @Test
  void aCgroup2LeafWithoutHugetlbFilesOrAParentThatRefusesFailNamingTheField() throws IOException {
    CgroupfsManager manager = manager(V2_MOUNTINFO, "hugetlb");
    manager.create();
    Path leaf = cgroupfs.resolve("jocker/c1");

    assertThatThrownBy(() -> manager.apply(hugepages(new Spec.HugepageLimit("2MB", LIMIT))))
        .hasMessage("cgroup hugetlb: linux.resources.hugepageLimits: no hugetlb.2MB.max in " + leaf
            + " (the hugetlb controller is not enabled there)");

    Path parentControl = cgroupfs.resolve("jocker/cgroup.subtree_control");
    Files.delete(parentControl);
    Files.createDirectory(parentControl); // reading it fails, as a parent we may not change would
    assertThatThrownBy(() -> manager.apply(hugepages(new Spec.HugepageLimit("2MB", LIMIT))))
        .hasMessageStartingWith("cgroup: linux.resources.hugepageLimits needs hugetlb enabled in the parents of "
            + leaf + ": cgroup unified: cannot read cgroup.subtree_control in " + cgroupfs.resolve("jocker"))
        .hasMessageNotContaining("\n");
  }

  @Test
  void aHostWithoutTheControllerFailsNamingTheField() throws IOException {
    CgroupfsManager manager = manager(V2_MOUNTINFO, "memory pids"); // cgroup2 never has net_cls or net_prio
    manager.create();

    assertThatThrownBy(() -> manager.apply(hugepages(new Spec.HugepageLimit("2MB", LIMIT))))
        .hasMessage("cgroup: linux.resources.hugepageLimits asks the hugetlb controller, which this host"
            + " does not provide (no hierarchy has it)");
    assertThatThrownBy(() -> manager.apply(network(1L)))
        .hasMessage("cgroup: linux.resources.network.classID asks the net_cls controller, which this host"
            + " does not provide (no hierarchy has it)");
    assertThatThrownBy(() -> manager.apply(network(null, new Spec.InterfacePriority("lo", 1))))
        .hasMessage("cgroup: linux.resources.network.priorities asks the net_prio controller, which this host"
            + " does not provide (no hierarchy has it)");
    manager.apply(hugepages()); // empty lists ask nothing
    manager.apply(network(null));
    manager.apply(network(0L)); // runc's "unset"
  }

  @Test
  void valuesTheKernelWouldMisreadAreRefused() throws IOException {
    CgroupfsManager manager = manager(V1_MOUNTINFO, "");
    manager.create();
    populated(manager.dirOf("net_cls").orElseThrow(), "net_cls.classid", "net_prio.ifpriomap");

    assertThatThrownBy(() -> manager.apply(network(1L << 32)))
        .hasMessage("cgroup net_cls: linux.resources.network.classID 4294967296 is not a 32-bit class id");
    assertThatThrownBy(() -> manager.apply(network(null, new Spec.InterfacePriority("eth0 9", 1))))
        .hasMessage("cgroup net_prio: linux.resources.network.priorities: interface name \"eth0 9\" is empty"
            + " or has white space");
    assertThatThrownBy(() -> manager.apply(network(null, new Spec.InterfacePriority("lo", -1))))
        .hasMessage("cgroup net_prio: linux.resources.network.priorities: priority -1 of lo is not a 32-bit number");
  }
}
