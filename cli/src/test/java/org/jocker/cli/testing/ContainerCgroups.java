package org.jocker.cli.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The cgroups the runtime makes for containers, /jocker/ID in every hierarchy: for tests that check none is left. */
public final class ContainerCgroups {
  private static List<Path> hierarchies;

  private ContainerCgroups() {}

  /** Where the cgroup hierarchies are mounted (read once: a running host does not change them). */
  public static synchronized List<Path> hierarchies() {
    if (hierarchies == null) {
      List<Path> found = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
          String[] f = line.split(" ");
          int dash = List.of(f).indexOf("-");
          if (dash > 0 && f[dash + 1].startsWith("cgroup")) {
            found.add(Path.of(f[4]));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      hierarchies = List.copyOf(found);
    }
    return hierarchies;
  }

  /** The cgroup directories of the containers {@code ids} that exist. */
  public static List<Path> of(Collection<String> ids) {
    List<Path> found = new ArrayList<>();
    for (Path hierarchy : hierarchies()) {
      for (String id : ids) {
        Path dir = hierarchy.resolve("jocker/" + id);
        if (Files.isDirectory(dir)) {
          found.add(dir);
        }
      }
    }
    return found;
  }
}
