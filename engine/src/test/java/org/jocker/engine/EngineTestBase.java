package org.jocker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jocker.engine.container.ContainerView;
import org.jocker.runtime.CgroupDriver;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.kernel.LinuxKernel;
import org.jocker.runtime.launch.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine on the real kernel with its roots in a fresh temporary directory, opened on first use.
 * After each test (and after the test class's own clean-up) nothing is left mounted below that
 * directory and no container is left in the engine's root.
 */
public abstract class EngineTestBase {
  @TempDir protected Path tmp;
  protected final Kernel kernel = new LinuxKernel();
  private Engine engine;

  protected Engine engine() {
    if (engine == null) {
      engine = Engine.open(tmp.resolve("root"), tmp.resolve("run"), kernel, Launcher.locate(), cgroupDriver());
    }
    return engine;
  }

  /** Who makes the cgroups of the engine's containers: cgroupfs unless a test class says otherwise. */
  protected CgroupDriver cgroupDriver() {
    return CgroupDriver.CGROUPFS;
  }

  /** For test classes that keep containers: removes every one, running or not. */
  protected void removeAllContainers() {
    for (ContainerView c : engine().list(true)) {
      engine().remove(c.id(), true);
    }
  }

  @AfterEach
  void nothingLeft() throws Exception {
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(tmp.toString());
    Path containers = tmp.resolve("root/containers");
    if (Files.isDirectory(containers)) {
      try (Stream<Path> left = Files.list(containers)) {
        assertThat(left).isEmpty();
      }
    }
  }
}
