package org.jocker.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jocker-runtime is the native client under that name: `jocker runtime ARGS` of the checkout
 * the client was built in, with no shell in between (engines call the runtime for every step).
 */
class RuntimeEntryTest {
  @TempDir Path tmp;

  /** A checkout whose ./jocker prints what it was run with. */
  private Path checkout() throws Exception {
    Path repo = tmp.resolve("repo");
    Path client = Files.createDirectories(repo.resolve("launcher/target")).resolve("jocker-client");
    Files.copy(Path.of(System.getProperty("jocker.launcher")).resolveSibling("jocker-client"), client);
    Path jocker = repo.resolve("jocker");
    Files.writeString(jocker, "#!/bin/sh\necho \"$JOCKER_NO_ENGINE $JOCKER_SKIP_BUILD_CHECK $*\"\n");
    Files.setPosixFilePermissions(jocker, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(Files.createDirectories(repo.resolve("bin")).resolve("jocker-runtime"),
        Path.of("../launcher/target/jocker-client"));
    return repo;
  }

  private static String run(Path program, String... env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(program.toString(), "--root", "/r", "state", "c").redirectErrorStream(true);
    pb.environment().remove("JOCKER_NO_ENGINE");
    for (String kv : env) {
      pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + " " + out;
  }

  @Test
  void runsTheRuntimeCommandOfItsCheckout() throws Exception {
    Path repo = checkout();
    assertThat(run(repo.resolve("bin/jocker-runtime"), "JOCKER_NO_ENGINE=1"))
        .isEqualTo("0 1 1 runtime --root /r state c\n");
  }

  /** No engine answers: it starts one from the checkout (detached) and runs this command itself. */
  @Test
  void startsTheCheckoutsEngineWhenNoneAnswers() throws Exception {
    Path repo = checkout();
    Path socket = tmp.resolve("engine/engine.sock");
    assertThat(run(repo.resolve("bin/jocker-runtime"), "JOCKER_ENGINE_SOCKET=" + socket))
        .isEqualTo("0 1 1 runtime --root /r state c\n");
    Path log = socket.resolveSibling("engine.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(log) || Files.readString(log).isEmpty()) {
      assertThat(System.nanoTime()).as("the engine was started").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(Files.readAllLines(log)).isEqualTo(List.of("1 1 engine serve --socket " + socket));
  }

  @Test
  void outsideACheckoutItSaysSo() throws Exception {
    Path elsewhere = tmp.resolve("jocker-runtime");
    Files.copy(Path.of(System.getProperty("jocker.launcher")).resolveSibling("jocker-client"), elsewhere);
    assertThat(run(elsewhere)).isEqualTo("125 jocker-runtime: cannot find the Jocker checkout of " + elsewhere + "\n");
  }
}
