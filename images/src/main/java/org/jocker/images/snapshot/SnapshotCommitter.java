package org.jocker.images.snapshot;

import java.util.Map;
import org.jocker.images.ImageException;

/** Freezes an active snapshot into a committed one: a new meta.json, the workdir dropped. */
final class SnapshotCommitter {
  private final SnapshotRecords records;

  SnapshotCommitter(SnapshotRecords records) {
    this.records = records;
  }

  /**
   * Commits {@code activeKey} as {@code name}, on its own parent or, when {@code reparent}, on
   * {@code newParent} (which must be committed).
   */
  void commit(String name, String activeKey, boolean reparent, String newParent) {
    Map<String, StoredSnapshot> index = records.index();
    StoredSnapshot active = SnapshotRecords.require(index, activeKey);
    if (active.info().kind() != SnapshotKind.ACTIVE) {
      throw new ImageException("cannot commit snapshot " + activeKey + ": it is " + active.kindName());
    }
    if (index.containsKey(name)) {
      throw new ImageException("cannot commit " + activeKey + " as " + name + ": snapshot " + name + " exists");
    }
    SnapshotInfo info = active.info();
    String parent = reparent ? newParent : info.parent();
    if (reparent && parent != null
        && SnapshotRecords.require(index, parent).info().kind() != SnapshotKind.COMMITTED) {
      throw new ImageException("cannot commit " + activeKey + " on " + parent + ": it is not committed");
    }
    SnapshotRecords.write(active.dir(), new SnapshotInfo(name, parent, SnapshotKind.COMMITTED, info.created()));
    SnapshotRecords.deleteTree(active.work()); // only needed while mounted writable
  }
}
