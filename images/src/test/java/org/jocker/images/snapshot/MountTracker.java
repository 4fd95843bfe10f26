package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jocker.images.layer.FileSystemCalls;

/** Mounts for a test and unmounts them all, newest first, even when the test failed. */
final class MountTracker implements AutoCloseable {
  private final Deque<Path> mounted = new ArrayDeque<>();
  private final FileSystemCalls calls;

  MountTracker() {
    this(FileSystemCalls.linux());
  }

  /** Mounts through {@code calls}, e.g. those of a kernel that lacks something. */
  MountTracker(FileSystemCalls calls) {
    this.calls = calls;
  }

  Path mount(Mount mount, Path target) throws IOException {
    Files.createDirectories(target);
    mount.mount(target, calls);
    mounted.push(target);
    return target;
  }

  void unmount(Path target) {
    Mount.unmount(target);
    mounted.remove(target);
  }

  @Override
  public void close() {
    while (!mounted.isEmpty()) {
      Path target = mounted.pop();
      try {
        Mount.unmount(target);
      } catch (RuntimeException e) {
        FileSystemCalls.linux().unmount(target, true);
      }
    }
  }

  /**
   * The mountinfo lines that name {@code dir} (as mount point, source or overlay option): what a
   * test that works in {@code dir} left mounted. Other tests' mounts at the same moment are not its.
   */
  static String mountsNaming(Path dir) throws IOException {
    return String.join("\n", Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(line -> line.contains(dir.toString())).toList());
  }
}
