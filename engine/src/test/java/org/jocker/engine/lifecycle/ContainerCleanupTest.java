package org.jocker.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.engine.Engine;
import org.jocker.engine.container.ContainerView;
import org.jocker.engine.lifecycle.ContainerCleanup.Outcome;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.container.RestartPolicy;
import org.jocker.engine.spec.RunOptions;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleanup after a container's exit, called here in-process with what the monitor passed to
 * its exit command (which only records its arguments): it acts for the run that exited only.
 */
class ContainerCleanupTest {
  @TempDir Path tmp;
  private Engine engine;
  private Path calls;

  @BeforeEach
  void setUp() {
    calls = tmp.resolve("calls.txt");
    engine = Engine.open(tmp.resolve("root"), tmp.resolve("run"), new LinuxKernel(), Launcher.locate())
        .exitCommand(() -> new ExitCommand(List.of("/bin/sh", "-c", "echo \"$@\" >> " + calls, "sh")));
  }

  @AfterEach
  void removeAll() throws Exception {
    for (ContainerView c : engine.list(true)) {
      engine.remove(c.id(), true);
    }
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(tmp.toString());
  }

  private String run(String policy, boolean remove, String script) {
    HostConfig.Builder host = HostConfig.builder();
    host.restartPolicy = RestartPolicy.parse(policy);
    return engine.runDetached(new RunOptions("busybox", List.of("sh", "-c", script), null, List.of(),
        null, null, null, null, remove, false, host.build()));
  }

  /** The launch token of the n-th exit command the monitors ran ("container cleanup --launch L ID"). */
  private String launchOfCall(int n, String id) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!Files.exists(calls) || Files.readAllLines(calls).size() < n) {
      assertThat(System.nanoTime()).as("exit command " + n).isLessThan(deadline);
      Thread.sleep(20);
    }
    String[] args = Files.readAllLines(calls).get(n - 1).split(" ");
    assertThat(args).hasSize(5);
    assertThat(List.of(args[0], args[1], args[2], args[4])).containsExactly("container", "cleanup", "--launch", id);
    return args[3];
  }

  private String state(String id) {
    return engine.list(true).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().state();
  }

  @Test
  void restartsOnlyTheRunThatExitedAndOnlyAsThePolicySays() throws Exception {
    String id = run("on-failure:1", false, "exit 3");
    String first = launchOfCall(1, id);
    assertThat(state(id)).isEqualTo("restarting"); // exited; its cleanup will restart it
    assertThat(engine.cleanup().run(id, "not-this-run")).isEqualTo(Outcome.NOTHING);
    assertThat(engine.cleanup().run(id, first)).isEqualTo(Outcome.RESTARTED);
    String second = launchOfCall(2, id);
    assertThat(second).isNotEqualTo(first);
    assertThat(engine.cleanup().run(id, first)).isEqualTo(Outcome.NOTHING); // a late cleanup of the first run
    assertThat(engine.cleanup().run(id, second)).isEqualTo(Outcome.STAYS_EXITED); // at most one restart
    assertThat(state(id)).isEqualTo("exited");
    assertThat(engine.operations().inspect(id).get("RestartCount").asInt()).isEqualTo(1);
  }

  @Test
  void aStopAndARemovalWinOverTheRestart() throws Exception {
    String id = run("always", false, "exit 0");
    String first = launchOfCall(1, id);
    engine.stop(id, 1);
    assertThat(state(id)).isEqualTo("exited");
    assertThat(engine.cleanup().run(id, first)).isEqualTo(Outcome.STAYS_EXITED);
    engine.start(id);
    String second = launchOfCall(2, id);
    engine.remove(id, true);
    assertThat(engine.cleanup().run(id, second)).isEqualTo(Outcome.NOTHING);
    assertThat(tmp.resolve("root/containers").resolve(id)).doesNotExist();
  }

  @Test
  void removesADetachedRmContainerWithItsRuntimeState() throws Exception {
    String id = run("no", true, "exit 0");
    String launch = launchOfCall(1, id);
    assertThat(engine.cleanup().run(id, launch)).isEqualTo(Outcome.REMOVED);
    assertThat(engine.list(true)).isEmpty();
    assertThat(tmp.resolve("root/containers").resolve(id)).doesNotExist();
    assertThat(tmp.resolve("run").resolve(id)).doesNotExist();
    assertThat(engine.cleanup().run(id, launch)).isEqualTo(Outcome.NOTHING);
  }
}
