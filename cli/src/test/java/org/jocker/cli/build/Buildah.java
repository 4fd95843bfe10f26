package org.jocker.cli.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jocker.cli.testing.Jocker;

/**
 * Debian's buildah with storage of its own under one directory (overlay; its runroot beside it),
 * so that it builds the interop tests' Dockerfiles from the same busybox as Jocker and never
 * touches the host's images. Builds run their RUNs with runc (crun refuses this project's hybrid
 * cgroup hosts) and no network. {@link #close} removes its containers, images, mounts and
 * directory, also after a failed test.
 */
final class Buildah implements AutoCloseable {
  private final Path dir;

  private Buildah(Path dir) {
    this.dir = dir;
  }

  static boolean installed() {
    return Files.isExecutable(Path.of("/usr/bin/buildah"));
  }

  static Buildah in(Path dir) {
    try {
      return new Buildah(Files.createDirectories(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes the image of a docker-archive {@code name} in this storage (as `docker load` would). */
  void load(Path archive, String name) {
    String id = buildah("pull", "-q", "docker-archive:" + archive).strip();
    buildah("tag", id, name);
  }

  /** `buildah bud` of {@code context}'s Dockerfile, layer by layer as Docker, in Docker's format (it has Healthcheck). */
  void build(Path context, String tag, Map<String, String> buildArgs) {
    List<String> args = new ArrayList<>(List.of("bud", "--layers", "--format", "docker", "--identity-label=false",
        "--runtime", "runc", "--network", "none", "--pull=never", "-q", "-t", tag));
    buildArgs.forEach((k, v) -> args.addAll(List.of("--build-arg", k + "=" + v)));
    args.add(context.toString());
    buildah(args.toArray(String[]::new));
  }

  /** `buildah push` of {@code tag} into a docker-archive. */
  void save(String tag, Path archive) {
    buildah("push", "-q", tag, "docker-archive:" + archive + ":" + tag);
  }

  private String buildah(String... args) {
    return Jocker.tool(dir, command(args).toArray(String[]::new));
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of("buildah", "--root", dir.resolve("storage").toString(),
        "--runroot", dir.resolve("run").toString(), "--storage-driver", "overlay"));
    command.addAll(List.of(args));
    return command;
  }

  /** Removes every container and image, then whatever is still mounted below the directory, then it. */
  @Override
  public void close() throws IOException {
    quietly(command("rm", "-a"));
    quietly(command("rmi", "-a", "-f"));
    List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(dir + "/")).toList();
    for (String mount : mounts.reversed()) {
      quietly(List.of("umount", mount));
    }
    quietly(List.of("rm", "-rf", dir.toString()));
  }

  private static void quietly(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
