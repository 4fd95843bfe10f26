package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.jocker.images.ImageException;

/**
 * New active snapshots and views on a committed parent: the directories first (fs, and work for
 * an overlay that will be written), meta.json last, so a crash in between leaves a leftover.
 */
final class SnapshotPreparer {
  private final SnapshotRecords records;

  SnapshotPreparer(SnapshotRecords records) {
    this.records = records;
  }

  Mount create(String key, String parent, SnapshotKind kind) {
    Map<String, StoredSnapshot> index = records.index();
    if (index.containsKey(key)) {
      throw new ImageException("snapshot " + key + " already exists");
    }
    if (parent != null) {
      StoredSnapshot stored = SnapshotRecords.require(index, parent);
      if (stored.info().kind() != SnapshotKind.COMMITTED) {
        throw new ImageException("parent snapshot " + parent + " is not committed (it is " + stored.kindName() + ")");
      }
    }
    Path dir = records.nextDirectory();
    try {
      Files.createDirectory(dir);
      Files.createDirectory(dir.resolve("fs"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      if (kind == SnapshotKind.ACTIVE && parent != null) {
        Files.createDirectory(dir.resolve("work"));
      }
    } catch (IOException e) {
      throw new ImageException("creating snapshot " + key + " in " + dir + ": " + e.getMessage(), e);
    }
    SnapshotInfo info = new SnapshotInfo(key, parent, kind, Instant.now());
    SnapshotRecords.write(dir, info); // last: until now the directory is a recognisable leftover
    StoredSnapshot stored = new StoredSnapshot(dir, info);
    index.put(key, stored);
    return OverlayMounts.of(stored, index);
  }
}
