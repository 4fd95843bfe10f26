package org.jocker.engine.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.images.snapshot.Mount;
import org.jocker.kernel.KernelException;
import org.jocker.kernel.MountInfo;
import org.jocker.kernel.net.NetworkNamespace;

/**
 * Named network namespaces of containers, as `ip netns` keeps them: the namespace's nsfs file
 * bind-mounted on {@code network/netns/ID}, so it lives without any process in it (the CNI
 * plugins set it up before the container starts; the container joins it by path). The kernel
 * module's {@link NetworkNamespace} makes it on a thread of its own, with its lo up, in about a
 * millisecond (util-linux's unshare and ip, two processes, took five or more).
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
      NetworkNamespace.create(file);
      return file;
    } catch (IOException | UncheckedIOException | KernelException e) {
      String reason = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
      throw new UncheckedIOException("cannot create the network namespace of container " + containerId,
          new IOException(reason, e));
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
