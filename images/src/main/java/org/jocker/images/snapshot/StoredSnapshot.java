package org.jocker.images.snapshot;

import java.nio.file.Path;

/** A snapshot found on disk: its directory and what its meta.json says. */
record StoredSnapshot(Path dir, SnapshotInfo info) {
  /** The snapshot's own content: an overlay upperdir, a lowerdir of its children, or a bind source. */
  Path fs() {
    return dir.resolve("fs");
  }

  /** The overlay workdir of an active snapshot with a parent. */
  Path work() {
    return dir.resolve("work");
  }

  /** Its kind as messages name it ("active", "view", "committed"). */
  String kindName() {
    return info.kind().name().toLowerCase();
  }
}
