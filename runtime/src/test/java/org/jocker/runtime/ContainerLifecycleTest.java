package org.jocker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.jocker.runtime.state.ContainerState.Status;
import org.jocker.runtime.state.ExitStatus;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLifecycleTest {
  @TempDir Path tmp;
  ContainerRuntime runtime;

  ContainerRuntime runtime() {
    if (runtime == null) {
      runtime = new ContainerRuntime(tmp.resolve("state"), new LinuxKernel(), Launcher.locate());
    }
    return runtime;
  }

  @AfterEach
  void cleanUp() {
    if (runtime != null) {
      for (var s : runtime.list()) {
        runtime.delete(s.id(), true);
      }
    }
  }

  @Test
  void createStartRunsTheProcessAndRecordsItsExit() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path bundle = TestBundle.create(tmp.resolve("b"), List.of("sh", "-c", "hostname > /out/h; exit 3"),
        s -> Specs.withBind(s, out, "/out"));
    ContainerRuntime rt = runtime();
    assertThat(rt.create("c1", bundle, CreateOptions.DEFAULT).status()).isEqualTo(Status.created);
    rt.start("c1");
    ExitStatus exit = rt.awaitExit("c1");
    assertThat(exit.code()).isEqualTo(3);
    assertThat(Files.readString(out.resolve("h")).trim()).isEqualTo("jocker");
    assertThat(rt.state("c1").status()).isEqualTo(Status.stopped);
    rt.delete("c1", false);
    assertThat(rt.list()).isEmpty();
  }

  @Test
  void theMonitorRunsTheExitCommandDetachedOnceTheExitIsRecorded() throws Exception {
    Path bundle = TestBundle.create(tmp.resolve("b"), List.of("sh", "-c", "exit 5"), s -> s);
    Path out = tmp.resolve("exit-command.txt");
    Path exitFile = tmp.resolve("state/c2/exit");
    // Its own session, no descriptor beyond stdio, no blocked signal, and the exit already written.
    String script = "{ cat " + exitFile + "; ls /proc/self/fd | wc -l; ps -o sid= -p $$ | tr -d ' ';"
        + " grep SigBlk /proc/self/status; echo $$; } > " + out + ".tmp; mv " + out + ".tmp " + out;
    ContainerRuntime rt = runtime();
    rt.create("c2", bundle, new CreateOptions(null, null, org.jocker.runtime.launch.Stdio.INHERIT, false, null, false,
        List.of("/bin/sh", "-c", script)));
    rt.start("c2");
    assertThat(rt.awaitExit("c2").code()).isEqualTo(5);
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!Files.exists(out)) {
      assertThat(System.nanoTime()).as("the exit command ran").isLessThan(deadline);
      Thread.sleep(20);
    }
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).matches((5 << 8) + " \\d+");
    assertThat(lines.get(1)).isEqualTo("4"); // 0, 1, 2 and the one ls opened
    assertThat(lines.get(3)).isEqualTo("SigBlk:\t0000000000000000");
    assertThat(lines.get(2)).isEqualTo(lines.get(4)); // a session leader
  }
}
