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
}
