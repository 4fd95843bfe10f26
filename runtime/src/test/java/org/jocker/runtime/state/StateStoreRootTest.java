package org.jocker.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jocker.runtime.OciRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's root holds every monitor's socket: a root others may write is refused. */
class StateStoreRootTest {
  @TempDir Path tmp;

  @Test
  void noContainerDirectoryIsMadeInARootOthersMayWrite() throws Exception {
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> new StateStore(shared, new ObjectMapper()).claim("c"))
        .isInstanceOf(OciRuntimeException.class)
        .hasMessageStartingWith("the runtime's state directory " + shared + " must be root's");
    assertThat(shared.resolve("c")).doesNotExist();
  }
}
