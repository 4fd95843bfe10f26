package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The huge page sizes the kernel supports, named as in hugetlb control files ("2MB", "1GB"), read
 * from the hugepages-&lt;N&gt;kB directories of sysfs.
 *
 * @param dir /sys/kernel/mm/hugepages on a real host
 */
record HugePageSizes(Path dir) {
  static final HugePageSizes HOST = new HugePageSizes(Path.of("/sys/kernel/mm/hugepages"));

  private static final String PREFIX = "hugepages-";
  private static final String SUFFIX = "kB";

  /** The sizes, smallest first; none where the kernel has no hugetlbfs. */
  List<String> names() {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
          .map(n -> Long.parseLong(n.substring(PREFIX.length(), n.length() - SUFFIX.length())))
          .sorted()
          .map(HugePageSizes::name)
          .toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | NumberFormatException e) {
      throw new CgroupException("cgroup hugetlb: cannot list the huge page sizes in " + dir + ": "
          + (e instanceof IOException io ? CgroupDir.reason(io) : e.getMessage()), e);
    }
  }

  /** A size in kB named as the kernel names hugetlb files (mm/hugetlb_cgroup.c: the largest unit it reaches). */
  static String name(long kib) {
    if (kib >= 1 << 20) {
      return kib / (1 << 20) + "GB";
    }
    if (kib >= 1 << 10) {
      return kib / (1 << 10) + "MB";
    }
    return kib + "KB";
  }
}
