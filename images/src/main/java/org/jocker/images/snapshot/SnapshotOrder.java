package org.jocker.images.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Snapshots in the order they can be made again: every parent before its children, then by key. */
final class SnapshotOrder {
  private SnapshotOrder() {}

  static List<SnapshotInfo> parentsFirst(Map<String, StoredSnapshot> index) {
    List<SnapshotInfo> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    index.values().stream().map(StoredSnapshot::info).sorted(Comparator.comparing(SnapshotInfo::key))
        .forEach(info -> addWithAncestors(info, index, done, ordered));
    return ordered;
  }

  private static void addWithAncestors(SnapshotInfo info, Map<String, StoredSnapshot> index, Set<String> done,
      List<SnapshotInfo> ordered) {
    if (done.contains(info.key())) {
      return;
    }
    StoredSnapshot parent = info.parent() == null ? null : index.get(info.parent());
    if (parent != null) {
      addWithAncestors(parent.info(), index, done, ordered);
    }
    done.add(info.key());
    ordered.add(info);
  }
}
