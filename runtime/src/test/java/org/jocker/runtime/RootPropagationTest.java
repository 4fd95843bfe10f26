package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * linux.rootfsPropagation: the propagation the container's "/" shows in its init's mountinfo. The
 * rootfs is made a shared mount on the host first, as on a systemd host (whose "/" is shared), so
 * that a slave has a master to receive from.
 */
class RootPropagationTest extends KernelTestBase {

  @ParameterizedTest
  @CsvSource({
    "shared, shared:",
    "rshared, shared:",
    "slave, master:",
    "private, ''",
    "unbindable, unbindable",
    "runbindable, unbindable",
    "'', master:"}) // not given: rslave, as before
  void theRootGetsTheAskedPropagation(String mode, String tag) throws Exception {
    Bundle b = shBundle("sleep 60", j -> linux(j).put("rootfsPropagation", mode));
    Path rootfs = b.dir().resolve("rootfs");
    host("mount", "--bind", rootfs.toString(), rootfs.toString());
    String id = newId("prop-" + (mode.isEmpty() ? "default" : mode));
    try {
      host("mount", "--make-shared", rootfs.toString());
      rt.create(id, b.dir(), CreateOptions.DEFAULT);
      int pid = rt.state(id).pid();
      List<String> fields = optionalFields(rootLine(pid));
      if (tag.isEmpty()) {
        assertThat(fields).as(mode).isEmpty();
      } else {
        assertThat(fields).as(mode).anyMatch(f -> f.startsWith(tag));
      }
      if (tag.equals("master:")) {
        assertThat(fields).as(mode).noneMatch(f -> f.startsWith("shared:"));
        // the defining property: a mount the host makes under the rootfs reaches the container
        host("mount", "-t", "tmpfs", "from-host", rootfs.resolve("tmp").toString());
        try {
          assertThat(Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")))
              .anyMatch(l -> l.split(" ")[4].equals("/tmp") && l.contains(" from-host "));
        } finally {
          host("umount", rootfs.resolve("tmp").toString());
        }
      }
      // Whatever the mode, nothing the container mounted (proc, dev, /out...) reached the host.
      assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
          .filteredOn(l -> l.split(" ")[4].startsWith(rootfs.toString()))
          .singleElement().satisfies(l -> assertThat(l.split(" ")[4]).isEqualTo(rootfs.toString()));
    } finally {
      try {
        if (rt.list().stream().anyMatch(s -> s.id().equals(id))) {
          rt.delete(id, true);
        }
      } finally {
        host("umount", rootfs.toString());
      }
    }
  }

  private static String rootLine(int pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].equals("/")).findFirst().orElseThrow();
  }

  /** The fields between the mount options and the "-" separator: shared:N, master:N, unbindable. */
  private static List<String> optionalFields(String mountinfoLine) {
    List<String> f = Arrays.asList(mountinfoLine.split(" "));
    return f.subList(6, f.indexOf("-"));
  }
}
