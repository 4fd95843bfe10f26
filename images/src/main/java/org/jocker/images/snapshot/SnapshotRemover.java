package org.jocker.images.snapshot;

import java.util.List;
import java.util.Map;
import org.jocker.images.ImageException;

/** Removes snapshots; a snapshot another one stands on stays. */
final class SnapshotRemover {
  private final SnapshotRecords records;

  SnapshotRemover(SnapshotRecords records) {
    this.records = records;
  }

  void remove(String key) {
    Map<String, StoredSnapshot> index = records.index();
    StoredSnapshot stored = SnapshotRecords.require(index, key);
    List<String> children = index.values().stream().map(StoredSnapshot::info)
        .filter(info -> key.equals(info.parent())).map(SnapshotInfo::key).sorted().toList();
    if (!children.isEmpty()) {
      throw new ImageException("cannot remove snapshot " + key + ": it is the parent of " + String.join(", ", children));
    }
    SnapshotRecords.discard(stored);
  }
}
