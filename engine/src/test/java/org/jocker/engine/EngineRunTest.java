package org.jocker.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jocker.engine.spec.RunOptions;
import org.jocker.runtime.launch.Launcher;
import org.junit.jupiter.api.Test;

/** `jocker run` on the real kernel, with the built-in busybox image. */
class EngineRunTest extends EngineTestBase {

  private static RunOptions options(String image, List<String> command) {
    return new RunOptions(image, command, null, List.of(), null, null, null, null, true, false);
  }

  /** Runs and returns exit code and stdout (stderr goes to the same pipe). */

  private Captured run(RunOptions options) {
    return Captured.of(kernel, io -> engine().run(options, io));
  }

  @Test
  void quickStartRunsEchoInTheBuiltInBusybox() {
    Captured r = run(options("busybox", List.of("echo", "hello")));
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("hello\n");
    assertThat(engine().images().catalog().list()).singleElement()
        .satisfies(i -> assertThat(i.references().toString()).contains("docker.io/library/busybox:latest"));
    // The container's snapshot is gone; the image's layer stays for the next container.
    assertThat(engine().images().snapshots().list()).singleElement()
        .satisfies(s -> assertThat(s.key()).startsWith("sha256:"));
  }

  @Test
  void imageDefaultsAndRunOptionsApplyAsInDocker() {
    assertThat(run(options("busybox", List.of("sh", "-c", "exit 3"))).code()).isEqualTo(3);
    // the image's Cmd is sh, reading an empty stdin: it exits at once
    assertThat(run(options("busybox", List.of())).code()).isZero();
    RunOptions custom = new RunOptions("busybox", List.of("-c", "echo $(id -u):$(id -g) $PWD $FOO $(hostname) $HOME"),
        "sh", List.of("FOO=bar"), "/tmp", "nobody", "box", "named", true, false);
    assertThat(run(custom).out()).isEqualTo("65534:65534 /tmp bar box /home\n");
  }

  @Test
  void failuresHaveDockersExitCodesAndLeaveNothing() {
    assertThatThrownBy(() -> run(options("busybox", List.of("no-such-command"))))
        .isInstanceOf(EngineException.class)
        .hasMessage("exec: \"no-such-command\": executable file not found in $PATH")
        .satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.COMMAND_NOT_FOUND));
    assertThatThrownBy(() -> run(options("busybox", List.of("/etc/passwd"))))
        .satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.CANNOT_INVOKE));
    assertThatThrownBy(() -> run(options("no-such-image", List.of("true"))))
        .hasMessage("No such image: no-such-image:latest") // the client pulls first, as Docker's
        .satisfies(e -> assertThat(((EngineException) e).kind()).isEqualTo(EngineException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> run(new RunOptions("busybox", List.of("true"), null, List.of(), null, "ghost",
        null, null, true, false))).hasMessage("unable to find user ghost: no matching entries in passwd file");
    assertThatThrownBy(() -> run(new RunOptions("busybox", List.of("true"), null, List.of(), null, null,
        null, "bad name!", true, false))).hasMessageContaining("Invalid container name (bad name!)");
  }

  @Test
  void theBuiltInImageIsReproducible() {
    String first = engine().images().resolveOrProvide("busybox").id().toString();
    Engine other = Engine.open(tmp.resolve("root2"), tmp.resolve("run2"), kernel, Launcher.locate());
    assertThat(other.images().resolveOrProvide("busybox:latest").id().toString()).isEqualTo(first);
  }
}
