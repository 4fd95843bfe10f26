package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.cgroup.CgroupStats.BlockIoEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block I/O and huge page counters as each cgroup version's files hold them, without a kernel. */
class CgroupStatsFilesTest {
  @TempDir Path tmp;

  @Test
  void v1BlkioPerDeviceWithoutTheTotalLine() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("blkio"));
    Files.writeString(dir.resolve("blkio.throttle.io_service_bytes_recursive"),
        "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:16 Read 100\n8:16 Write 1\nTotal 12389\n");
    Files.writeString(dir.resolve("blkio.throttle.io_serviced_recursive"), "8:0 Read 1\n8:0 Write 2\nTotal 3\n");
    CgroupStats.BlockIo io = new V1Blkio().stats(new CgroupDir("blkio", dir));
    assertThat(io.serviceBytes()).contains(new BlockIoEntry(8, 0, "Read", 4096), new BlockIoEntry(8, 16, "Write", 1))
        .hasSize(5);
    assertThat(io.bytes("Read")).isEqualTo(4196);
    assertThat(io.bytes("Write")).isEqualTo(8193);
    assertThat(io.serviced()).containsExactly(new BlockIoEntry(8, 0, "Read", 1), new BlockIoEntry(8, 0, "Write", 2));
  }

  @Test
  void cgroup2IoStatAsRuncNamesIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("unified"));
    Files.writeString(dir.resolve("io.stat"), "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n"
        + "253:1 rbytes=5 wbytes=5 rios=1 wios=1 dbytes=7 dios=1\n");
    CgroupStats.BlockIo io = new V2Io().stats(new CgroupDir("io", dir));
    assertThat(io.bytes("Read")).isEqualTo(15);
    assertThat(io.bytes("Write")).isEqualTo(25);
    assertThat(io.serviceBytes()).contains(new BlockIoEntry(253, 1, "Discard", 7));
    assertThat(io.serviced()).contains(new BlockIoEntry(8, 0, "Write", 2)).hasSize(6);
    // io not enabled for the cgroup: no io.stat, nothing to report
    assertThat(new V2Io().stats(new CgroupDir("io", tmp))).isEqualTo(CgroupStats.BlockIo.NONE);
  }

  @Test
  void hugetlbPerPageSizeInBothVersions() throws Exception {
    Path sysfs = Files.createDirectories(tmp.resolve("hugepages/hugepages-2048kB"));
    Files.createDirectories(sysfs.resolveSibling("hugepages-1048576kB"));
    HugePageSizes sizes = new HugePageSizes(sysfs.getParent());
    Path v1 = Files.createDirectories(tmp.resolve("v1"));
    for (String size : new String[] {"2MB", "1GB"}) {
      Files.writeString(v1.resolve("hugetlb." + size + ".limit_in_bytes"), "9223372036854771712\n");
      Files.writeString(v1.resolve("hugetlb." + size + ".usage_in_bytes"), size.equals("2MB") ? "4194304\n" : "0\n");
      Files.writeString(v1.resolve("hugetlb." + size + ".max_usage_in_bytes"), "6291456\n");
      Files.writeString(v1.resolve("hugetlb." + size + ".failcnt"), "3\n");
    }
    assertThat(new V1Hugetlb(sizes).stats(new CgroupDir("hugetlb", v1)))
        .containsEntry("2MB", new CgroupStats.Hugetlb(4194304, 6291456, 3))
        .containsEntry("1GB", new CgroupStats.Hugetlb(0, 6291456, 3));
    Path v2 = Files.createDirectories(tmp.resolve("v2"));
    Files.writeString(v2.resolve("hugetlb.2MB.max"), "max\n");
    Files.writeString(v2.resolve("hugetlb.2MB.current"), "2097152\n");
    Files.writeString(v2.resolve("hugetlb.2MB.events"), "max 5\n");
    // 1GB: hugetlb enabled without that size's files does not happen; a cgroup without them has none
    assertThat(new V2Hugetlb(sizes).stats(new CgroupDir("hugetlb", v2)))
        .containsExactly(java.util.Map.entry("2MB", new CgroupStats.Hugetlb(2097152, 0, 5)));
  }
}
