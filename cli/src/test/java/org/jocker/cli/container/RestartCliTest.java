package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart policies and `run -d --rm`: carried out by the cleanup that a container's monitor starts
 * when the container exits, so with no jocker process around.
 */
class RestartCliTest {
  @TempDir Path tmp;
  private Jocker jocker;

  @BeforeEach
  void setUp() {
    jocker = new Jocker(tmp.resolve("root"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String id : jocker.ok("ps", "-aq", "--no-trunc").out().lines().toList()) {
      jocker.run("rm", "-f", id);
    }
    // A cleanup still starting would find nothing to do, but must not outlive the test's root.
    Jocker.await("no cleanup of this root left", () -> cleanups().isEmpty());
    assertThat(jocker.ok("ps", "-aq").out()).isEmpty();
    assertThat(jocker.mountsLeft()).isEmpty();
  }

  @Test
  void onFailureRestartsAtMostNTimesThenStaysExited() throws Exception {
    String id = jocker.ok("run", "-d", "--restart", "on-failure:2", "busybox", "sh", "-c", "echo run; exit 3")
        .out().strip();
    Jocker.await("three runs", () -> jocker.run("logs", id).out().equals("run\nrun\nrun\n"));
    Jocker.await("exited after the last run", () -> inspect(id, "{{.State.Status}}").equals("exited"));
    Thread.sleep(3000); // a third restart would have begun by now
    assertThat(jocker.ok("logs", id).out()).isEqualTo("run\nrun\nrun\n");
    assertThat(inspect(id, "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{.State.Restarting}}"))
        .isEqualTo("exited 3 2 false");
    assertThat(inspect(id, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"))
        .isEqualTo("on-failure 2");
    assertThat(jocker.ok("ps", "-a").out()).contains("Exited (3)");
  }

  @Test
  void alwaysRestartsAfterExitZeroAndStopSuppressesItUntilTheNextStart() throws Exception {
    String id = jocker.ok("run", "-d", "--restart", "always", "busybox", "sh", "-c", "echo run; sleep 1").out().strip();
    Jocker.await("restarted after exit 0", () -> restartCount(id) >= 1);
    assertThat(jocker.ok("ps").out()).containsPattern("Up |Restarting \\(0\\)");
    assertThat(jocker.ok("stop", "-t", "1", id).code()).isZero();
    int stoppedAt = restartCount(id);
    Thread.sleep(3000);
    assertThat(inspect(id, "{{.State.Status}} {{.State.Restarting}}")).isEqualTo("exited false");
    assertThat(restartCount(id)).isEqualTo(stoppedAt);
    // A start by the user: the count starts again, and so does the policy.
    jocker.ok("start", id);
    Jocker.await("restarted after the next start", () -> restartCount(id) >= 1);
  }

  /**
   * Between two runs a restarting container is "restarting", then "running": never "created" (which
   * ps leaves out) with the new restart count, as it was while the new run was created but not yet
   * started.
   */
  @Test
  void aRestartingContainerIsNeverSeenCreated() throws Exception {
    String id = jocker.ok("run", "-d", "--restart", "always", "busybox", "sh", "-c", "exit 0").out().strip();
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline && restartCount(id) < 4) {
      seen.add(inspect(id, "{{.State.Status}} {{.RestartCount}}"));
    }
    assertThat(restartCount(id)).as("restarted while watched").isGreaterThanOrEqualTo(4);
    assertThat(seen).noneMatch(s -> s.startsWith("created"));
  }

  @Test
  void unlessStoppedRestartsUntilStoppedAndKillAlsoSuppressesIt() throws Exception {
    String id = jocker.ok("run", "-d", "--restart", "unless-stopped", "busybox", "sh", "-c", "exit 1").out().strip();
    Jocker.await("restarted", () -> restartCount(id) >= 1);
    jocker.ok("stop", id);
    int stoppedAt = restartCount(id);
    Thread.sleep(2000);
    assertThat(inspect(id, "{{.State.Status}}")).isEqualTo("exited");
    assertThat(restartCount(id)).isEqualTo(stoppedAt);

    String sleeper = jocker.ok("run", "-d", "--restart", "always", "busybox", "sleep", "100").out().strip();
    jocker.ok("kill", sleeper); // SIGKILL: fatal, as a stop
    Thread.sleep(2000);
    assertThat(inspect(sleeper, "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}")).isEqualTo("exited 137 0");
  }

  @Test
  void restartsGoOnAfterTheJockerThatStartedItWasKilled() throws Exception {
    Path out = tmp.resolve("run.out");
    Process p = jocker.process("run", "-d", "--restart", "always", "busybox", "sh", "-c", "echo run; exit 1")
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Jocker.await("the id printed", () -> read(out).strip().matches("[0-9a-f]{64}"));
    p.destroyForcibly(); // SIGKILL, if it is still there
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String id = read(out).strip();
    Jocker.await("restarted twice with no jocker of ours around",
        () -> restartCount(id) >= 2 && jocker.ok("logs", id).out().startsWith("run\nrun\nrun\n"));
  }

  @Test
  void detachedRmRemovesEverythingWhenItExits() throws Exception {
    String id = jocker.ok("run", "-d", "--rm", "-v", "/data", "busybox", "sh", "-c", "sleep 1").out().strip();
    assertThat(jocker.ok("volume", "ls", "-q").out()).isNotEmpty();
    // Its anonymous volume goes last.
    Jocker.await("removed", () -> jocker.ok("volume", "ls", "-q").out().isEmpty());
    assertThat(jocker.root().resolve("containers").resolve(id)).doesNotExist();
    assertThat(jocker.ok("ps", "-aq").out()).isEmpty();
    assertThat(jocker.root().resolve("run").resolve(id)).doesNotExist(); // the runtime's state
    assertThat(cgroupsOf(id)).isEmpty();
    assertThat(jocker.mountsLeft()).isEmpty();
    // In the foreground, the exit code still reaches the caller before the removal.
    Jocker.Result fg = jocker.run("run", "--rm", "busybox", "sh", "-c", "echo fg; exit 7");
    assertThat(fg.code()).isEqualTo(7);
    assertThat(fg.out()).isEqualTo("fg\n");
    Jocker.await("the foreground one removed too", () -> jocker.ok("ps", "-aq").out().isEmpty());
  }

  @Test
  void rmForceOfARestartingContainerWins() throws Exception {
    String id = jocker.ok("run", "-d", "--restart", "always", "busybox", "sh", "-c", "exit 1").out().strip();
    Jocker.await("restarting", () -> restartCount(id) >= 1);
    assertThat(jocker.run("rm", id).err()).contains("stop the container before removing or force remove");
    jocker.ok("rm", "-f", id);
    Thread.sleep(3000); // the cleanup of its last run has come and gone
    assertThat(jocker.ok("ps", "-aq").out()).isEmpty();
    assertThat(jocker.root().resolve("containers").resolve(id)).doesNotExist();
    assertThat(jocker.root().resolve("run").resolve(id)).doesNotExist();
    assertThat(cgroupsOf(id)).isEmpty();
  }

  @Test
  void badPoliciesAreRefusedWithDockersMessages() {
    assertRefused("Conflicting options: --restart and --rm", "--rm", "--restart", "always");
    assertRefused("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure',"
        + " or 'unless-stopped'", "--restart", "sometimes");
    assertRefused("invalid restart policy: maximum retry count can only be used with 'on-failure'",
        "--restart", "always:3");
    assertRefused("invalid restart policy format: maximum retry count must be an integer", "--restart", "on-failure:x");
    assertRefused("invalid restart policy: maximum retry count cannot be negative", "--restart", "on-failure:-1");
    assertRefused("invalid restart policy format: no policy provided before colon", "--restart", ":2");
    assertThat(jocker.ok("ps", "-aq").out()).isEmpty();
    String id = jocker.ok("create", "--restart", "on-failure", "busybox", "true").out().strip();
    assertThat(inspect(id, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"
        + " {{.RestartCount}}")).isEqualTo("on-failure 0 0");
  }

  private void assertRefused(String message, String... options) {
    List<String> args = new ArrayList<>(List.of("create"));
    args.addAll(List.of(options));
    args.addAll(List.of("busybox", "true"));
    Jocker.Result r = jocker.run(args.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(125);
    assertThat(r.err()).isEqualTo("jocker: " + message + "\n");
  }

  private String inspect(String id, String format) {
    return jocker.ok("inspect", "-f", format, id).out().strip();
  }

  private int restartCount(String id) {
    return Integer.parseInt(inspect(id, "{{.RestartCount}}"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The container's cgroup directories left in any hierarchy. */
  private static List<Path> cgroupsOf(String id) throws IOException {
    List<Path> left = new ArrayList<>();
    try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies) {
        if (Files.exists(h.resolve("jocker").resolve(id))) {
          left.add(h.resolve("jocker").resolve(id));
        }
      }
    }
    return left;
  }

  /** Live `container cleanup` processes of this test's root. */
  private List<Long> cleanups() {
    return jocker.cleanups();
  }
}
