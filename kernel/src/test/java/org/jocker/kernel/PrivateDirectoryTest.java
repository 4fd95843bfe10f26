package org.jocker.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where root's sockets live: made private, and an existing directory others could write is refused. */
class PrivateDirectoryTest {
  @TempDir Path tmp;

  @Test
  void aMissingDirectoryIsMadeRootOnly() throws Exception {
    Path dir = PrivateDirectory.require(tmp.resolve("a/b"), "the test directory");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(0);
  }

  @Test
  void anExistingDirectoryOthersCanWriteOrOwnIsRefusedAndLeftAsItIs() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> PrivateDirectory.require(shared, "the test directory"))
        .isInstanceOf(UnsafeDirectoryException.class)
        .hasMessage("the test directory " + shared + " must be root's and writable by root only (it is uid 0's, mode 0777)");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxrwxrwx");

    Path nobodys = Files.createDirectory(tmp.resolve("nobodys"));
    Files.setPosixFilePermissions(nobodys, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setAttribute(nobodys, "unix:uid", 65534);
    assertThatThrownBy(() -> PrivateDirectory.require(nobodys, "the test directory"))
        .hasMessageContaining("(it is uid 65534's, mode 0755)");
  }

  @Test
  void rootsDirectoryThatOthersMayOnlyReadIsAccepted() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("readable"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(PrivateDirectory.require(dir, "the test directory")).isEqualTo(dir);
  }
}
