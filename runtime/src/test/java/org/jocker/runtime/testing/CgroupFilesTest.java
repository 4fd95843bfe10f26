package org.jocker.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test helper names the same files as the runtime writes, on hybrid, combined v1 and pure v2 layouts. */
class CgroupFilesTest {
  @TempDir Path root;

  private CgroupLayout layout(String mountinfo, String selfCgroup, String v2Controllers) throws IOException {
    Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));
    Files.writeString(root.resolve("sys/fs/cgroup/unified/cgroup.controllers"), v2Controllers);
    Files.writeString(root.resolve("sys/fs/cgroup/cgroup.controllers"), v2Controllers);
    return CgroupLayout.parse(mountinfo, selfCgroup, root);
  }

  @Test
  void hybrid() throws IOException {
    CgroupFiles files = new CgroupFiles(layout("""
        32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct
        35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
        37 31 0:34 / /sys/fs/cgroup/freezer rw - cgroup cgroup rw,freezer
        39 31 0:36 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids
        41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
        """, "0::/\n", "hugetlb\n"));
    assertThat(files.inside(CgroupFiles.MEMORY_LIMIT)).isEqualTo("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    assertThat(files.inside(CgroupFiles.CPU_SHARES)).isEqualTo("/sys/fs/cgroup/cpu,cpuacct/cpu.shares");
    assertThat(files.onHost("c", CgroupFiles.PIDS_MAX)).isEqualTo(root.resolve("sys/fs/cgroup/pids/jocker/c/pids.max"));
    assertThat(files.onHost("c", CgroupFiles.FREEZER_STATE))
        .isEqualTo(root.resolve("sys/fs/cgroup/freezer/jocker/c/freezer.state"));
    assertThat(files.insideEntries()).containsExactly("cpu,cpuacct", "memory", "freezer", "pids", "unified");
    assertThat(files.cgroupIn("9:name=systemd:/\n5:cpu,cpuacct:/a\n4:memory:/b\n0::/c\n", "memory")).isEqualTo("/b");
    assertThat(files.cgroupIn("5:cpu,cpuacct:/a\n4:memory:/b\n", "cpu")).isEqualTo("/a");
  }

  @Test
  void pureV2() throws IOException {
    CgroupFiles files = new CgroupFiles(layout("""
        30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate
        """, "0::/user.slice\n", "cpuset cpu io memory pids\n"));
    assertThat(files.inside(CgroupFiles.MEMORY_LIMIT)).isEqualTo("/sys/fs/cgroup/memory.max");
    assertThat(files.inside(CgroupFiles.CPU_QUOTA)).isEqualTo("/sys/fs/cgroup/cpu.max");
    assertThat(files.inside(CgroupFiles.PIDS_CURRENT)).isEqualTo("/sys/fs/cgroup/pids.current");
    assertThat(files.onHost("c", CgroupFiles.FREEZER_STATE)).isEqualTo(root.resolve("sys/fs/cgroup/jocker/c/cgroup.freeze"));
    assertThat(files.onHost("c", CgroupFiles.MEMORY_SWAP)).isEqualTo(root.resolve("sys/fs/cgroup/jocker/c/memory.swap.max"));
    assertThat(files.pick(CgroupFiles.FREEZER_STATE, "FROZEN", "1")).isEqualTo("1");
    assertThat(files.insideEntries()).contains("cgroup.procs");
    assertThat(files.cgroupIn("0::/jocker/c\n", "pids")).isEqualTo("/jocker/c");
  }
}
