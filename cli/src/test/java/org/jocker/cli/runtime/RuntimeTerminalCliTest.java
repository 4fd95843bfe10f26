package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.TestTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreground `jocker-runtime run` or `exec -t` of a process with a terminal and no console
 * socket uses the caller's terminal, as runc does: a pseudo-terminal plays the user's, and runc
 * (where installed) on the same bundle and the same kind of terminal is the reference.
 */
class RuntimeTerminalCliTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Shows the terminal's name and size, echoes a line typed, exits 7. */
  private static final String CONVERSATION = "tty; stty size; read x; echo \"got $x\"; exit 7";
  private static final Path RUNC = Path.of("/usr/sbin/runc");
  private static final String DETACHED_TERMINAL =
      "jocker-runtime: cannot allocate tty if runc will detach without setting console socket\n";

  @TempDir Path tmp;
  private RuntimeCli cli;
  private Path wrapper;

  @BeforeEach
  void setUp() throws IOException {
    cli = new RuntimeCli(tmp);
    wrapper = RuntimeWrapper.write(tmp, cli.stateRoot());
  }

  @AfterEach
  void deleteAll() throws Exception {
    cli.deleteAll();
    if (Files.isExecutable(RUNC)) {
      for (String id : runc("list", "-q").lines().toList()) {
        runc("delete", "--force", id);
      }
    }
  }

  private record Transcript(String screen, int code) {}

  /** What a 33x101 terminal running argv shows, "hello" typed once it shows its size. */
  private static Transcript converse(List<String> argv) throws Exception {
    try (TestTerminal t = TestTerminal.start(33, 101, argv)) {
      String screen = t.expect("33 101", WAIT);
      t.type("hello\r");
      screen += t.expect("got hello", WAIT);
      return new Transcript(screen, t.waitFor(WAIT));
    }
  }

  @Test
  void runUsesTheCallersTerminalAndPutsItBack() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("sh", "-c", CONVERSATION), true);
    String script = "stty -g; \"$0\" run -b \"$1\" t1; echo \"exit $?\"; stty -g";
    try (TestTerminal t = TestTerminal.start(33, 101,
        List.of("/bin/sh", "-c", script, wrapper.toString(), bundle.toString()))) {
      String settings = t.expect("\r\n", WAIT);
      // The container's own devpts; the caller's window size; the line typed, echoed by the
      // container's terminal only (ours is raw); the container's exit code.
      assertThat(t.expect("33 101", WAIT)).isEqualTo("/dev/pts/0\r\n33 101");
      t.type("hello\r");
      assertThat(t.expect("exit 7\r\n", WAIT)).isEqualTo("\r\nhello\r\ngot hello\r\nexit 7\r\n");
      assertThat(t.expect("\r\n", WAIT)).as("the terminal's settings afterwards").isEqualTo(settings);
      assertThat(t.waitFor(WAIT)).isZero();
    }
    assertThat(cli.runtime("list", "-q").out()).isBlank();
  }

  /**
   * runc's bats "tty owner ({u,g}id != 0)": the terminal becomes the process user's (its group
   * stays devpts's gid=5), for run and for exec -t, so a non-root process may reopen its tty.
   */
  @Test
  void theTerminalBelongsToTheProcessUser() throws Exception {
    String show = "echo \"owner $(stat -c %u:%g $(tty)) end\"";
    Path bundle = cli.bundle("owner", List.of("sh", "-c", show), config -> {
      ObjectNode process = (ObjectNode) config.get("process");
      process.put("terminal", true);
      process.putObject("user").put("uid", 1000).put("gid", 100);
    });
    try (TestTerminal t = TestTerminal.start(33, 101, List.of(wrapper.toString(), "run", "-b", bundle.toString(), "o1"))) {
      assertThat(t.expect(" end", WAIT)).endsWith("owner 1000:5 end");
      assertThat(t.waitFor(WAIT)).isZero();
    }
    Path sleeper = cli.bundle("sleeper", List.of("sleep", "600"), false);
    assertThat(cli.runtime("run", "-d", "-b", sleeper.toString(), "o2").code()).isZero();
    try (TestTerminal t = TestTerminal.start(33, 101,
        List.of(wrapper.toString(), "exec", "-t", "-u", "1000:100", "o2", "sh", "-c", show))) {
      assertThat(t.expect(" end", WAIT)).endsWith("owner 1000:5 end");
      assertThat(t.waitFor(WAIT)).isZero();
    }
  }

  @Test
  void theContainersTerminalFollowsTheCallersWindowSize() throws Exception {
    Path bundle = cli.bundle("bundle",
        List.of("sh", "-c", "trap 'stty size; exit 3' WINCH; echo ready; while :; do sleep 0.1; done"), true);
    try (TestTerminal t = TestTerminal.start(33, 101,
        List.of(wrapper.toString(), "run", "-b", bundle.toString(), "t2"))) {
      t.expect("ready", WAIT);
      t.resize(40, 120); // SIGWINCH to the runtime command, as the terminal sends it
      t.expect("40 120", WAIT);
      assertThat(t.waitFor(WAIT)).isEqualTo(3);
    }
  }

  @Test
  void execUsesTheCallersTerminal() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("sleep", "600"), false);
    assertThat(cli.runtime("run", "-d", "-b", bundle.toString(), "e1").code()).isZero();
    Transcript exec = converse(List.of(wrapper.toString(), "exec", "-t", "e1", "sh", "-c", CONVERSATION));
    assertThat(exec.screen()).isEqualTo("/dev/pts/0\r\n33 101\r\nhello\r\ngot hello");
    assertThat(exec.code()).isEqualTo(7);
  }

  @Test
  void aTerminalLeftWithoutConsoleSocketIsRefusedInRuncsWords() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("true"), true);
    for (Jocker.Result r : List.of(cli.runtime("run", "-d", "-b", bundle.toString(), "t3"),
        cli.runtime("create", "-b", bundle.toString(), "t3"))) {
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).isEqualTo(DETACHED_TERMINAL);
    }
    Path sleeper = cli.bundle("sleeper", List.of("sleep", "600"), false);
    assertThat(cli.runtime("run", "-d", "-b", sleeper.toString(), "e2").code()).isZero();
    Jocker.Result exec = cli.runtime("exec", "-d", "-t", "e2", "true");
    assertThat(exec.code()).isEqualTo(255); // runc's exec failures
    assertThat(exec.err()).isEqualTo(DETACHED_TERMINAL);
    assertThat(cli.runtime("list", "-q").out()).isEqualTo("e2\n");
  }

  @Test
  void withNoTerminalAtAllRunFailsAsRuncDoes() throws Exception {
    Path bundle = cli.bundle("bundle", List.of("true"), true);
    // A session of its own: no controlling terminal; no standard stream is one either.
    Process p = new ProcessBuilder("setsid", wrapper.toString(), "run", "-b", bundle.toString(), "t4")
        .redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isEqualTo(1);
    assertThat(out).isEqualTo("jocker-runtime: open /dev/tty: No such device or address\n");
    assertThat(cli.runtime("list", "-q").out()).isBlank();
  }

  @Test
  void runAndExecShowWhatRuncShows() throws Exception {
    assumeTrue(Files.isExecutable(RUNC), "runc is not installed");
    Path bundle = cli.bundle("bundle", List.of("sh", "-c", CONVERSATION), true);
    Transcript ours = converse(List.of(wrapper.toString(), "run", "-b", bundle.toString(), "t5"));
    Transcript theirs = converse(runcArgv("run", "-b", bundle.toString(), "runc-t5"));
    assertThat(ours).isEqualTo(theirs);

    Path sleeper = cli.bundle("sleeper", List.of("sleep", "600"), false);
    assertThat(cli.runtime("run", "-d", "-b", sleeper.toString(), "e3").code()).isZero();
    runc("run", "-d", "-b", sleeper.toString(), "runc-e3");
    Transcript ourExec = converse(List.of(wrapper.toString(), "exec", "-t", "e3", "sh", "-c", CONVERSATION));
    Transcript theirExec = converse(runcArgv("exec", "-t", "runc-e3", "sh", "-c", CONVERSATION));
    assertThat(ourExec).isEqualTo(theirExec);
  }

  private List<String> runcArgv(String... args) {
    List<String> argv = new ArrayList<>(List.of(RUNC.toString(), "--root", tmp.resolve("runc-state").toString()));
    argv.addAll(List.of(args));
    return argv;
  }

  /** runc with no terminal; its output (through a file: a detached container keeps it open). */
  private String runc(String... args) throws Exception {
    Path out = Files.createTempFile(tmp, "runc", ".out");
    new ProcessBuilder(runcArgv(args)).redirectInput(new File("/dev/null")).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start().waitFor();
    return Files.readString(out);
  }
}
