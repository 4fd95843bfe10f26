package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jocker.images.ImageException;

/**
 * Deletes what a crash left in the snapshots directory: a numbered directory without meta.json
 * (killed while creating), a "removing-N" one (killed while removing), a ".tmp" file.
 */
final class LeftoverCleaner {
  private LeftoverCleaner() {}

  static void clean(Path snapshots) {
    try (Stream<Path> dirs = Files.list(snapshots)) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        boolean incomplete = name.matches("\\d+") && !Files.exists(dir.resolve(SnapshotRecords.META));
        if (incomplete || name.startsWith(SnapshotRecords.REMOVING) || name.endsWith(".tmp")) {
          SnapshotRecords.deleteTree(dir);
        }
      }
    } catch (IOException e) {
      throw new ImageException("cleaning " + snapshots + ": " + e.getMessage(), e);
    }
  }
}
