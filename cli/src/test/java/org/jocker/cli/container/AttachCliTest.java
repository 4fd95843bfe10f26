package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.jocker.cli.testing.TestTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * -t, -i, attach, detach keys and signals, from a real terminal (a pseudo-terminal the test types
 * on) or real pipes, with jocker in its own JVM as a user runs it.
 */
class AttachCliTest extends CliTestBase {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private TestTerminal terminal(int rows, int columns, String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of(jocker.wrapper().toString()));
    argv.addAll(List.of(args));
    return TestTerminal.start(rows, columns, argv);
  }

  @AfterEach
  void removeAll() throws Exception {
    for (String id : jocker.run("ps", "-aq", "--no-trunc").out().lines().toList()) {
      jocker.run("rm", "-f", id);
    }
  }

  @Test
  void runItIsARealTerminalThatFollowsTheWindowAndDetachesThenAttachReturnsTheExitCode() throws Exception {
    try (TestTerminal t = terminal(24, 80, "run", "-it", "--name", "shell", "busybox", "sh")) {
      t.expect("# ", WAIT);
      t.type("tty; stty size; echo TERM=$TERM\r");
      assertThat(t.expect("TERM=xterm", WAIT)).contains("/dev/pts/0").contains("24 80");
      t.resize(40, 120);
      Thread.sleep(300); // the resize reaches the container's pty asynchronously
      t.type("stty size\r");
      t.expect("40 120", WAIT);
      // Ctrl-C is a key like any other: the container's shell interrupts its sleep and stays.
      t.type("sleep 100\r");
      // Ctrl-C must reach the sleep, not the shell before it runs the sleep (a busy machine)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!jocker.run("top", "shell").out().contains("sleep 100")) {
        assertThat(System.nanoTime()).as("sleep 100 started").isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(300); // the shell makes the sleep's group the terminal's foreground
      t.type("\u0003");
      t.type("echo still-$((40+2))\r");
      t.expect("still-42", WAIT);
      t.type("\u0010\u0011"); // Ctrl-P Ctrl-Q
      assertThat(t.waitFor(WAIT)).isZero();
    }
    assertThat(jocker.run("ps", "--format", "{{.Names}} {{.State}}").out()).contains("shell running");
    assertThat(jocker.run("inspect", "-f", "{{.Config.Tty}} {{.Config.OpenStdin}}", "shell").out())
        .isEqualTo("true true\n");
    try (TestTerminal t = terminal(24, 80, "attach", "shell")) {
      Thread.sleep(2000); // the attach is made before anything is typed, else the key is nobody's
      t.type("echo attached\r");
      t.expect("attached", WAIT);
      t.type("exit 7\r");
      assertThat(t.waitFor(WAIT)).isEqualTo(7);
    }
    assertThat(jocker.run("inspect", "-f", "{{.State.ExitCode}}", "shell").out()).isEqualTo("7\n");
  }

  @Test
  void execItGetsATerminalOfTheCallersSize() throws Exception {
    jocker.ok("run", "-d", "--name", "box", "busybox", "sleep", "300");
    try (TestTerminal t = terminal(21, 71, "exec", "-it", "box", "sh")) {
      t.expect("# ", WAIT);
      t.type("stty size; tty; exit 5\r");
      assertThat(t.expect("/dev/pts/", WAIT)).contains("21 71");
      assertThat(t.waitFor(WAIT)).isEqualTo(5);
    }
  }

  @Test
  void stdinFromAPipeReachesTheContainerAndItsEndClosesTheContainersStdin() throws Exception {
    Process run = jocker.process("run", "-i", "--rm", "busybox", "sh", "-c", "cat; echo end; exit 3")
        .redirectInput(ProcessBuilder.Redirect.PIPE).start();
    try (OutputStream in = run.getOutputStream()) {
      in.write("line one\nline two\n".getBytes(StandardCharsets.UTF_8));
    }
    String out;
    try (InputStream stdout = run.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("line one\nline two\nend\n");
    assertThat(run.exitValue()).isEqualTo(3);

    jocker.ok("create", "-i", "--name", "reader", "busybox", "sh", "-c", "read x; echo \"x=$x\"; exit 6");
    Process start = jocker.process("start", "-ai", "reader").redirectInput(ProcessBuilder.Redirect.PIPE).start();
    try (OutputStream in = start.getOutputStream()) {
      in.write("hello\n".getBytes(StandardCharsets.UTF_8));
    }
    try (InputStream stdout = start.getInputStream()) {
      out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(start.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("x=hello\n");
    assertThat(start.exitValue()).isEqualTo(6);
  }

  @Test
  void aSignalToAForegroundRunGoesToTheContainer() throws Exception {
    Path out = tmp.resolve("out.txt");
    Process run = jocker.process("run", "--name", "trapper", "busybox", "sh", "-c",
        "trap 'echo got TERM; exit 42' TERM; echo ready; while true; do sleep 0.1; done")
        .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Files.readString(out).contains("ready")) {
      assertThat(System.nanoTime()).as(Files.readString(out)).isLessThan(deadline);
      Thread.sleep(50);
    }
    new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(run.exitValue()).isEqualTo(42);
    assertThat(Files.readString(out)).isEqualTo("ready\ngot TERM\n");
  }

  @Test
  void attachErrors() {
    jocker.ok("create", "--name", "idle", "busybox", "true");
    Jocker.Result r = jocker.run("attach", "idle");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("jocker: You cannot attach to a stopped container, start it first\n");
    assertThat(jocker.run("attach", "nope").err()).isEqualTo("jocker: No such container: nope\n");
  }
}
