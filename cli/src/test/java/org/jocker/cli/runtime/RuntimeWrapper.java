package org.jocker.cli.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A `jocker-runtime` executable for tests: like bin/jocker-runtime, but running the classes of
 * this build (the test's class path) with its own state root.
 */
final class RuntimeWrapper {
  private RuntimeWrapper() {}

  static Path write(Path dir, Path stateRoot) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String script = "#!/bin/sh\nexec '" + java + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1"
        + " -Djocker.launcher='" + System.getProperty("jocker.launcher") + "'"
        + " -cp '" + System.getProperty("java.class.path") + "'"
        + " org.jocker.cli.Main runtime --root '" + stateRoot + "' \"$@\"\n";
    return install(dir.resolve("jocker-runtime"), script);
  }

  /**
   * Like bin/jocker-runtime: through the native client to a resident engine on {@code socket}
   * (started on first use), which sends create, run and exec back to the fresh JVM given.
   */
  static Path writeThroughEngine(Path dir, Path stateRoot, Path socket) throws IOException {
    Path launcher = Path.of(System.getProperty("jocker.launcher"));
    String java = ProcessHandle.current().info().command().orElse("java");
    String script = "#!/bin/sh\nexec '" + launcher.resolveSibling("jocker-client") + "' -s '" + socket + "' -- '"
        + java + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -Djocker.launcher='" + launcher + "'"
        + " -cp '" + System.getProperty("java.class.path") + "' org.jocker.cli.Main"
        + " -- runtime --root '" + stateRoot + "' \"$@\"\n";
    return install(dir.resolve("jocker-runtime-client"), script);
  }

  private static Path install(Path wrapper, String script) throws IOException {
    Files.writeString(wrapper, script);
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return wrapper;
  }
}
