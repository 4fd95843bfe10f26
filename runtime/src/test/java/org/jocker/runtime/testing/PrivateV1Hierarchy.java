package org.jocker.runtime.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jocker.runtime.cgroup.Hierarchy;

/**
 * A cgroup v1 hierarchy this host does not mount (net_cls on a hybrid or pure v2 host), mounted in
 * a mount namespace of its own held by a sleeping process and reached through /proc/PID/root: the
 * runtime under test is given it, while every other process's /proc/self/mountinfo stays as it was,
 * so no other container on the host joins it. Closing ends the process and with it the mount.
 */
public final class PrivateV1Hierarchy implements AutoCloseable {
  private final Process holder;
  private final Hierarchy hierarchy;

  private PrivateV1Hierarchy(Process holder, Hierarchy hierarchy) {
    this.holder = holder;
    this.hierarchy = hierarchy;
  }

  /** Mounts the controllers at {@code dir}; empty if the kernel refuses (v1 disabled, controllers in use). */
  public static Optional<PrivateV1Hierarchy> mount(Path dir, Set<String> controllers) throws IOException {
    Files.createDirectories(dir);
    Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount -t cgroup -o \"$1\" jocker-test \"$2\" && echo mounted && exec sleep 600",
        "sh", String.join(",", controllers), dir.toString())
        .redirectErrorStream(true).start();
    String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    if (!"mounted".equals(first)) {
      stop(p);
      return Optional.empty();
    }
    Path mountPoint = Path.of("/proc", Long.toString(p.pid()), "root").resolve(dir.toAbsolutePath().toString().substring(1));
    return Optional.of(new PrivateV1Hierarchy(p, new Hierarchy(mountPoint, "/", false, controllers, "/")));
  }

  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /**
   * Ends the mount. The kernel destroys an unmounted v1 hierarchy only if its root has no child
   * then, counting removed cgroups it is still freeing; so wait for those first, or the hierarchy
   * would stay, unmounted, until some later mount of it ends.
   */
  @Override
  public void close() {
    String controller = hierarchy.controllers().iterator().next();
    try {
      for (int i = 0; i < 500 && cgroupsIn(controller) > 1; i++) {
        Thread.sleep(10);
      }
    } catch (IOException e) {
      // /proc/cgroups unreadable: end the mount anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stop(holder);
  }

  /** num_cgroups of /proc/cgroups: the cgroups of the controller's hierarchy, the root and those not yet freed. */
  private static long cgroupsIn(String controller) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/cgroups"))) {
      String[] f = line.split("\\s+");
      if (f.length == 4 && f[0].equals(controller)) {
        return Long.parseLong(f[2]);
      }
    }
    return 0;
  }

  private static void stop(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
