package org.jocker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.logs.LogOptions;
import org.jocker.engine.logs.LogSink;
import org.jocker.engine.spec.RunOptions;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.Stdio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Detached containers, their lifecycle and json-file logs, on the real kernel. */
class EngineLifecycleTest extends EngineTestBase {

  private static RunOptions sh(String name, String script) {
    return new RunOptions("busybox", List.of("sh", "-c", script), null, List.of(), null, null, null, name, false,
        false);
  }

  /** Captures stdout and stderr entries separately. */
  private static final class Capture implements LogSink {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Override
    public void write(boolean stderr, byte[] bytes) {
      (stderr ? err : out).writeBytes(bytes);
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  private Capture logs(String id, LogOptions options) {
    Capture c = new Capture();
    engine().logs(id, options, c);
    return c;
  }

  private String state(String id) {
    return engine().list(true).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().state();
  }

  @AfterEach
  void removeAll() {
    removeAllContainers();
  }

  @Test
  void detachedRunPsLogsWithStreamsTailAndTimestamps() {
    String id = engine().runDetached(sh("d1", "echo one; echo two >&2; printf 'a\"b\\\\c\\t\\n'; printf partial; sleep 100"));
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(state(id)).isEqualTo("running");
    assertThat(engine().list(false)).extracting(ContainerView::id).containsExactly(id);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!logs(id, LogOptions.ALL).out().contains("a\"b")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.onSpinWait();
    }
    Capture all = logs(id, LogOptions.ALL);
    assertThat(all.out()).isEqualTo("one\na\"b\\c\t\n");
    assertThat(all.err()).isEqualTo("two\n");
    Capture last = logs(id, new LogOptions(1, null, false, false)); // two pipes: no order between streams
    assertThat(last.out() + last.err()).isIn("a\"b\\c\t\n", "two\n");
    assertThat(logs(id, new LogOptions(0, null, false, false)).out()).isEmpty();
    String stamped = logs(id, new LogOptions(-1, null, true, false)).out();
    assertThat(stamped).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z one\n.*");
    assertThat(logs(id, new LogOptions(-1, Instant.now().plusSeconds(60), false, false)).out()).isEmpty();
    assertThat(engine().stop(id, 0)).isEqualTo(137); // sleep as pid 1 ignores SIGTERM
    assertThat(state(id)).isEqualTo("exited");
    assertThat(logs(id, LogOptions.ALL).out()).isEqualTo("one\na\"b\\c\t\npartial"); // drained at exit
  }

  @Test
  void logsFollowEndsWhenTheContainerExits() {
    String id = engine().runDetached(sh(null, "for i in 1 2 3; do echo $i; sleep 0.2; done; exit 3"));
    Capture c = logs(id, new LogOptions(-1, null, false, true));
    assertThat(c.out()).isEqualTo("1\n2\n3\n");
    assertThat(state(id)).isEqualTo("exited");
    assertThat(engine().await(id)).isEqualTo(3);
  }

  @Test
  void stopEscalatesToKillAfterTheTimeoutAndSigtermEndsATrappingShellQuickly() {
    String stubborn = engine().runDetached(sh("stubborn", "trap '' TERM; while :; do sleep 1; done"));
    String polite = engine().runDetached(sh("polite", "trap 'exit 143' TERM; sleep 100 & wait"));
    waitRunning(polite);
    long t0 = System.nanoTime();
    assertThat(engine().stop("polite", null)).isEqualTo(143);
    assertThat(System.nanoTime() - t0).isLessThan(3_000_000_000L);
    t0 = System.nanoTime();
    assertThat(engine().stop(stubborn, 1)).isEqualTo(137);
    assertThat(System.nanoTime() - t0).isBetween(900_000_000L, 6_000_000_000L);
    assertThat(engine().list(true)).extracting(ContainerView::state).containsOnly("exited");
  }

  @Test
  void killWithASignalWaitPauseUnpauseRenameRestart() throws Exception {
    String id = engine().runDetached(sh("k", "trap 'echo got; exit 7' USR1; echo started; while :; do sleep 0.1; done"));
    waitRunning(id);
    engine().pause("k");
    assertThat(state(id)).isEqualTo("paused");
    assertThat(engine().list(false)).hasSize(1);
    assertThatThrownBy(() -> engine().pause("k")).hasMessageContaining("is already paused");
    engine().unpause("k");
    assertThat(state(id)).isEqualTo("running");
    assertThatThrownBy(() -> engine().unpause("k")).hasMessageContaining("is not paused");
    engine().rename("k", "k2");
    assertThat(engine().find("k2").id()).isEqualTo(id);
    assertThatThrownBy(() -> engine().find("k")).hasMessage("No such container: k");
    waitForLog(id, "started\n");
    engine().kill("k2", "USR1");
    assertThat(engine().await("k2")).isEqualTo(7);
    assertThat(logs(id, LogOptions.ALL).out()).isEqualTo("started\ngot\n");
    assertThatThrownBy(() -> engine().kill("k2", null)).hasMessageContaining("is not running");
    engine().restart("k2", 1);
    assertThat(state(id)).isEqualTo("running");
    waitForLog(id, "started\ngot\nstarted\n");
    engine().kill("k2", "KILL");
    assertThat(engine().await("k2")).isEqualTo(137);
    assertThatThrownBy(() -> engine().kill("nope", null)).hasMessage("No such container: nope");
  }

  @Test
  void createThenStartAttachedAndRmForceOfARunningOne() {
    String id = engine().create(sh("c", "echo out; echo err >&2; exit 5"));
    assertThat(state(id)).isEqualTo("created");
    Capture c = new Capture();
    assertThat(engine().attacher().startAttached("c", c)).isEqualTo(5);
    assertThat(c.out()).isEqualTo("out\n");
    assertThat(c.err()).isEqualTo("err\n");
    Capture again = new Capture();
    assertThat(engine().attacher().startAttached("c", again)).isEqualTo(5);
    assertThat(again.out()).isEqualTo("out\n"); // only what this start wrote
    assertThat(logs(id, LogOptions.ALL).out()).isEqualTo("out\nout\n");
    String running = engine().runDetached(sh("r", "sleep 100"));
    engine().remove(running, true);
    assertThat(engine().list(true)).extracting(ContainerView::id).containsExactly(id);
  }

  @Test
  void foregroundRunGoesThroughTheLogToOurDescriptors() {
    Kernel.Pipe out = kernel.pipe();
    Kernel.Pipe err = kernel.pipe();
    int code;
    try {
      code = engine().run(sh("fg", "echo to-out; echo to-err >&2; exit 9"), new Stdio(-1, out.writeFd(), err.writeFd()));
    } finally {
      kernel.close(out.writeFd());
      kernel.close(err.writeFd());
    }
    assertThat(code).isEqualTo(9);
    assertThat(Captured.drain(kernel, out.readFd())).isEqualTo("to-out\n");
    assertThat(Captured.drain(kernel, err.readFd())).isEqualTo("to-err\n");
  }

  @Test
  void rotationKeepsAtMostMaxFiles() throws Exception {
    engine().logLimits(1024, 2);
    String id = engine().runDetached(sh("rot", "i=0; while [ $i -lt 200 ]; do echo line-$i; i=$((i+1)); done"));
    assertThat(engine().await(id)).isZero();
    Path dir = tmp.resolve("root/containers").resolve(id);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("container.log")))
          .containsExactlyInAnyOrder("container.log", "container.log.1");
    }
    assertThat(Files.size(dir.resolve("container.log"))).isLessThanOrEqualTo(1024);
    assertThat(Files.size(dir.resolve("container.log.1"))).isLessThanOrEqualTo(1024);
    String out = logs(id, LogOptions.ALL).out();
    assertThat(out).endsWith("line-199\n");
    String[] lines = out.split("\n");
    int first = Integer.parseInt(lines[0].substring(5));
    for (int i = 0; i < lines.length; i++) {
      assertThat(lines[i]).isEqualTo("line-" + (first + i)); // in order, none missing
    }
  }

  @Test
  void longLinesAreSplitAt16KiB() {
    String id = engine().runDetached(sh("long", "head -c 40000 /dev/zero | tr '\\0' x; echo"));
    assertThat(engine().await(id)).isZero();
    List<String> pieces = new java.util.ArrayList<>();
    engine().logs(id, LogOptions.ALL, (stderr, b) -> pieces.add(new String(b, StandardCharsets.UTF_8)));
    assertThat(pieces).extracting(String::length).containsExactly(16384, 16384, 40000 - 32768 + 1);
  }

  @Test
  void onlyStdioReachesTheContainer() {
    String id = engine().runDetached(sh("fds", "ls /proc/self/fd; readlink /proc/self/fd/1; readlink /proc/self/fd/2"));
    assertThat(engine().await(id)).as(logs(id, LogOptions.ALL).out() + logs(id, LogOptions.ALL).err()).isZero();
    // 3 is ls's own directory descriptor; 1 and 2 are the log pipes, 0 is /dev/null
    assertThat(logs(id, LogOptions.ALL).out()).matches("0\n1\n2\n3\npipe:\\[\\d+\\]\npipe:\\[\\d+\\]\n");
  }

  private void waitRunning(String id) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!state(id).equals("running")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
    }
  }

  private void waitForLog(String id, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!logs(id, LogOptions.ALL).out().equals(text)) {
      assertThat(System.nanoTime()).as(logs(id, LogOptions.ALL).out()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
