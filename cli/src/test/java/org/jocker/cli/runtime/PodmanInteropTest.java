package org.jocker.cli.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jocker.runtime.testing.TestBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's podman drives Jocker as its OCI runtime (`podman --runtime`), as it drives runc. */
class PodmanInteropTest {
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
  @TempDir Path tmp;
  private Path wrapper;
  private boolean podmanCgroupsExisted;

  @BeforeEach
  void setUp() throws Exception {
    podmanCgroupsExisted = Files.exists(CGROUP_ROOT.resolve("memory/libpod_parent"));
    wrapper = RuntimeWrapper.write(tmp, tmp.resolve("runtime-state"));
    Path rootfs = TestBundle.createRootfs(tmp.resolve("rootfs"));
    Path tar = tmp.resolve("busybox.tar");
    run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
    podman("import", tar.toString(), "localhost/jocker-test-busybox:latest");
  }

  @AfterEach
  void tearDown() throws Exception {
    podman("rm", "-af");
    podman("system", "reset", "-f");
    if (!podmanCgroupsExisted) {
      removePodmanCgroups();
    }
  }

  @Test
  void podmanRunsContainersThroughJockerWithTheirOutputAndExitCode() throws Exception {
    assertPodmanRunsThrough(wrapper);
    try (Stream<Path> left = Files.list(tmp.resolve("runtime-state"))) {
      assertThat(left).isEmpty();
    }
  }

  /** The runtime commands other than create go to a resident engine: podman cannot tell. */
  @Test
  void podmanRunsContainersThroughTheResidentEngine() throws Exception {
    Path socket = tmp.resolve("engine/engine.sock");
    Path throughEngine = RuntimeWrapper.writeThroughEngine(tmp, tmp.resolve("runtime-state"), socket);
    Path pidFile = socket.resolveSibling("engine.pid");
    try {
      assertThat(run(List.of(throughEngine.toString(), "list")).exitCode()).isZero(); // starts the engine
      long deadline = System.nanoTime() + 90_000_000_000L;
      while (!Files.exists(pidFile) || !Files.exists(socket)) {
        assertThat(System.nanoTime()).as("the engine came up").isLessThan(deadline);
        Thread.sleep(50);
      }
      long engine = Long.parseLong(Files.readString(pidFile).strip());
      assertPodmanRunsThrough(throughEngine);
      assertThat(ProcessHandle.of(engine)).as("the same engine served it").isPresent();
      assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(engine));
    } finally {
      if (Files.exists(pidFile)) {
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(p -> {
          p.destroy();
          p.onExit().join();
        });
      }
    }
  }

  /**
   * `podman run --rm` of busybox with {@code runtime} as its OCI runtime: the container's output
   * and exit code come back, and podman keeps no container.
   */
  private void assertPodmanRunsThrough(Path runtime) throws IOException, InterruptedException {
    Result ok = podman("--runtime", runtime.toString(), "run", "--rm", "--network", "none",
        "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768",
        "localhost/jocker-test-busybox", "sh", "-c", "echo hello from $(cat /proc/1/comm); exit 7");
    assertThat(ok.output()).contains("hello from sh");
    assertThat(ok.exitCode()).isEqualTo(7);
    assertThat(podman("ps", "-aq").output()).isBlank();
  }

  private Result podman(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("podman", "--root", tmp.resolve("storage").toString(),
        "--runroot", tmp.resolve("run").toString(), "--cgroup-manager", "cgroupfs",
        "--events-backend", "file", "--storage-driver", "overlay"));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  /** podman leaves its parent cgroup (and conmon's) behind; remove what this test caused. */
  private static void removePodmanCgroups() throws IOException {
    try (Stream<Path> dirs = Files.list(CGROUP_ROOT)) {
      for (Path hierarchy : dirs.toList()) {
        Path parent = hierarchy.resolve("libpod_parent");
        if (!Files.isDirectory(parent)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(parent)) {
          for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(d);
          }
        }
      }
    }
  }

  private record Result(int exitCode, String output) {}
}
