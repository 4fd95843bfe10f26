package org.jocker.cli.runtime;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A test of `jocker runtime` commands: a fresh state root in a temp dir, every container deleted after. */
abstract class RuntimeCliTestBase {
  @TempDir Path tmp;
  RuntimeCli cli;

  @BeforeEach
  void cli() {
    cli = new RuntimeCli(tmp);
  }

  @AfterEach
  void deleteAll() {
    cli.deleteAll();
  }
}
