package org.jocker.cli.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.CliTestBase;
import org.jocker.cli.testing.Jocker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle commands through the CLI; a container outlives the jocker process that started it. */
class LifecycleCliTest extends CliTestBase {
  @AfterEach
  void removeAll() throws Exception {
    for (String id : jocker.run("ps", "-aq", "--no-trunc").out().lines().toList()) {
      jocker.run("rm", "-f", id);
    }
  }

  @Test
  void aContainerOutlivesTheProcessThatStartedIt() throws Exception {
    Path out = tmp.resolve("out.txt");
    Process p = new ProcessBuilder(jocker.wrapper().toString(), "run", "--name", "survivor", "busybox", "sh", "-c",
        "echo hello; trap 'exit 143' TERM; sleep 100 & wait")
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile()).redirectErrorStream(true).start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.readString(out).contains("hello")) {
      assertThat(System.nanoTime()).as(Files.readString(out)).isLessThan(deadline);
      Thread.sleep(50);
    }
    p.destroyForcibly();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(300);
    assertThat(jocker.run("ps").out()).contains("survivor").contains("Up ");
    assertThat(jocker.run("logs", "survivor").out()).isEqualTo("hello\n");
    Jocker.Result stop = jocker.run("stop", "survivor");
    assertThat(stop.code()).isZero();
    assertThat(stop.out()).isEqualTo("survivor\n");
    assertThat(jocker.run("ps", "-a").out()).contains("Exited (143)");
    assertThat(jocker.run("wait", "survivor").out()).isEqualTo("143\n");
  }

  @Test
  void detachedCommandsAndErrors() throws Exception {
    Jocker.Result run =
        jocker.run("run", "-d", "--name", "d", "busybox", "sh", "-c", "echo out; echo err >&2; sleep 100");
    assertThat(run.code()).as(run.err()).isZero();
    String id = run.out().strip();
    assertThat(id).matches("[0-9a-f]{64}");
    assertThat(jocker.run("pause", "d").code()).isZero();
    assertThat(jocker.run("ps").out()).contains("(Paused)");
    assertThat(jocker.run("unpause", "d").code()).isZero();
    assertThat(jocker.run("rename", "d", "e").code()).isZero();
    Thread.sleep(300);
    Jocker.Result logs = jocker.run("logs", "-t", "--tail", "5", "e");
    assertThat(logs.out()).matches("\\S+Z out\n");
    assertThat(logs.err()).matches("\\S+Z err\n");
    assertThat(jocker.run("kill", "-s", "KILL", "e").code()).isZero();
    assertThat(jocker.run("wait", "e").out()).isEqualTo("137\n");
    assertThat(jocker.run("logs", "-f", "e").out()).isEqualTo("out\n");
    Jocker.Result missing = jocker.run("stop", "nope");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("jocker: No such container: nope\n");
    assertThat(jocker.run("logs", "nope").code()).isEqualTo(125);
    Jocker.Result created = jocker.run("create", "--name", "c", "busybox", "sh", "-c", "echo hi; exit 4");
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(jocker.run("ps", "-a").out()).contains("Created");
    Jocker.Result attached = jocker.run("start", "-a", "c");
    assertThat(attached.code()).isEqualTo(4);
    assertThat(attached.out()).isEqualTo("hi\n");
    assertThat(created.out().strip()).matches("[0-9a-f]{64}");
    Jocker.Result fg = jocker.run("run", "--rm", "busybox", "sh", "-c", "echo fg; exit 6");
    assertThat(fg.code()).isEqualTo(6);
    assertThat(fg.out()).isEqualTo("fg\n");
  }
}
