package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jocker.images.snapshot.Mount;
import org.jocker.kernel.MountInfo;

/**
 * Named network namespaces of containers, as `ip netns` keeps them: the namespace's nsfs file
 * bind-mounted on {@code network/netns/ID}, so it lives without any process in it (the CNI
 * plugins set it up before the container starts; the container joins it by path). A JVM cannot
 * unshare (it is multi-threaded), so util-linux's unshare makes it, and brings its lo up.
 */
final class NetworkNamespaces {
  private final Path dir;

  NetworkNamespaces(Path dir) {
    this.dir = dir;
  }

  Path path(String containerId) {
    return dir.resolve(containerId);
  }

  /** A new namespace for the container, with lo up. */
  Path create(String containerId) {
    Path file = path(containerId);
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(file);
      Files.createFile(file);
      Process p = new ProcessBuilder("unshare", "--net=" + file, "ip", "link", "set", "lo", "up")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        remove(containerId);
        throw new IOException("unshare --net: " + err);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the network namespace of container " + containerId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The containers that have a namespace file. */
  java.util.List<String> list() {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Unmounts and removes the container's namespace file (a missing one is fine). */
  void remove(String containerId) {
    Path file = path(containerId);
    for (int i = 0; i < 8 && MountInfo.isMountPoint(file); i++) { // mounted twice by a repeated create
      Mount.unmount(file);
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file, e);
    }
  }
}
