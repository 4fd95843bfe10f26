package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountInfoTest {

  @Test
  void readsEveryFieldOfALineWithOptionalFields() {
    Mount m = Mount.parse("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue")
        .orElseThrow();
    assertThat(m).isEqualTo(new Mount(36, 35, 98, 0, "/mnt1", "/mnt2", "rw,noatime", List.of("master:1", "shared:7"),
        "ext3", "/dev/root", "rw,errors=continue"));
  }

  @Test
  void aLineWithoutOptionalFields() {
    Mount m = Mount.parse("29 1 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw,nsdelegate")
        .orElseThrow();
    assertThat(m.optionalFields()).isEmpty();
    assertThat(m.fsType()).isEqualTo("cgroup2");
    assertThat(m.source()).isEqualTo("cgroup2");
    assertThat(m.superOptions()).isEqualTo("rw,nsdelegate");
  }

  @Test
  void decodesOctalEscapesInPathsAndSource() {
    Mount m = Mount.parse("40 1 0:50 /a\\134b /tmp/with\\040space\\011tab\\012nl rw - tmpfs my\\040src rw,size=1k")
        .orElseThrow();
    assertThat(m.root()).isEqualTo("/a\\b");
    assertThat(m.mountPoint()).isEqualTo("/tmp/with space\ttab\nnl");
    assertThat(m.source()).isEqualTo("my src");
  }

  @Test
  void leavesABackslashThatIsNoEscapeAlone() {
    assertThat(Mount.decode("/a\\9b\\")).isEqualTo("/a\\9b\\");
    assertThat(Mount.decode("/a\\04")).isEqualTo("/a\\04");
  }

  @Test
  void aDashInsideAFieldIsNotTheSeparator() {
    Mount m = Mount.parse("41 1 0:51 / /mnt/a-b rw shared:2 - fuse.sshfs user@host:/x-y rw,user_id=0")
        .orElseThrow();
    assertThat(m.mountPoint()).isEqualTo("/mnt/a-b");
    assertThat(m.optionalFields()).containsExactly("shared:2");
    assertThat(m.fsType()).isEqualTo("fuse.sshfs");
    assertThat(m.source()).isEqualTo("user@host:/x-y");
  }

  @Test
  void anEmptySourceKeepsTheFieldsInPlace() {
    Mount m = Mount.parse("42 1 0:52 / /mnt rw -  /  rw").orElseThrow();
    assertThat(m.fsType()).isEmpty();
    assertThat(m.source()).isEqualTo("/");
    assertThat(m.superOptions()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1",
      "36 35 98:0 /mnt1 /mnt2 rw - ext3", "x 35 98:0 / / rw - ext3 /dev/root rw", "36 35 98 / / rw - ext3 a rw"})
  void notAMountLine(String line) {
    assertThat(Mount.parse(line)).isEmpty();
  }

  @Test
  void parsesATableSkippingBlankLines() {
    List<Mount> mounts = MountInfo.parse("""
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw

        23 22 0:5 / /proc rw - proc proc rw
        """);
    assertThat(mounts).extracting(Mount::mountPoint).containsExactly("/", "/proc");
  }

  @Test
  void theRootAndProcAreMountPointsOfThisProcessButATempDirIsNot(@TempDir Path dir) {
    assertThat(MountInfo.isMountPoint(Path.of("/"))).isTrue();
    assertThat(MountInfo.isMountPoint(Path.of("/proc"))).isTrue();
    assertThat(MountInfo.isMountPoint(dir)).isFalse();
  }
}
