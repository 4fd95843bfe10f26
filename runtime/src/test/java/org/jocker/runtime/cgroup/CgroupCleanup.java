package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test safety net: removes a test's cgroup dirs from every hierarchy, whatever the test did. */
final class CgroupCleanup {
  static final Path ROOT = Path.of("/sys/fs/cgroup");

  private CgroupCleanup() {}

  static void removeEverywhere(String name) {
    if (!Files.isDirectory(ROOT)) {
      return;
    }
    for (Path hierarchy : list(ROOT)) {
      removeTree(hierarchy.resolve(name));
      removeTree(hierarchy.resolve("jocker").resolve(name));
    }
  }

  /** Kills what is inside, then rmdirs depth-first, retrying while tasks exit. */
  static void removeTree(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    for (Path child : list(dir)) {
      if (Files.isDirectory(child)) {
        removeTree(child);
      }
    }
    for (int i = 0; i < 50 && Files.exists(dir); i++) {
      try {
        Path freeze = dir.resolve("freezer.state");
        if (Files.exists(freeze)) {
          Files.writeString(freeze, "THAWED");
        }
        for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
          ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        Files.delete(dir);
      } catch (IOException | RuntimeException e) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
