package org.jocker.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Huge page sizes are named as the kernel's hugetlb files name them. */
class HugePageSizesTest {
  @TempDir Path sysfs;

  @Test
  void sizesAreNamedInTheLargestUnitTheyReach() {
    assertThat(HugePageSizes.name(64)).isEqualTo("64KB");
    assertThat(HugePageSizes.name(2048)).isEqualTo("2MB");
    assertThat(HugePageSizes.name(32768)).isEqualTo("32MB");
    assertThat(HugePageSizes.name(1048576)).isEqualTo("1GB");
    assertThat(HugePageSizes.name(16777216)).isEqualTo("16GB");
  }

  @Test
  void namesComeFromTheSysfsDirectoriesSmallestFirst() throws IOException {
    Files.createDirectory(sysfs.resolve("hugepages-1048576kB"));
    Files.createDirectory(sysfs.resolve("hugepages-2048kB"));
    Files.createFile(sysfs.resolve("README"));

    assertThat(new HugePageSizes(sysfs).names()).containsExactly("2MB", "1GB");
    assertThat(new HugePageSizes(sysfs.resolve("absent")).names()).isEmpty();
  }
}
