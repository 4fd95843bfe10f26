package org.jocker.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CLI test with its own root in a fresh temporary directory. After each test (and after the
 * test class's own clean-up, which runs first) no mount of this mount namespace names anything
 * in that directory.
 */
public abstract class CliTestBase {
  @TempDir protected Path tmp;
  protected Jocker jocker;

  @BeforeEach
  void openRoot() {
    jocker = new Jocker(tmp.resolve("root"));
  }

  @AfterEach
  void noMountLeft() throws IOException {
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(tmp.toString());
  }
}
