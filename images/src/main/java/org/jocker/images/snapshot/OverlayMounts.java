package org.jocker.images.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jocker.images.ImageException;

/**
 * The mount that shows an active snapshot or a view: an overlay of its own directory on its
 * parent chain's, or a bind mount where overlay has too few layers.
 */
final class OverlayMounts {
  private OverlayMounts() {}

  static Mount of(StoredSnapshot stored, Map<String, StoredSnapshot> index) {
    SnapshotInfo info = stored.info();
    if (info.kind() == SnapshotKind.COMMITTED) {
      throw new ImageException("snapshot " + info.key() + " is committed; make a view or an active snapshot of it");
    }
    boolean readOnly = info.kind() == SnapshotKind.VIEW;
    List<Path> lowers = new ArrayList<>();
    for (String parent = info.parent(); parent != null; ) {
      StoredSnapshot ancestor = SnapshotRecords.require(index, parent);
      lowers.add(ancestor.fs());
      parent = ancestor.info().parent();
    }
    if (lowers.isEmpty()) {
      return bind(stored.fs(), readOnly);
    }
    if (readOnly && lowers.size() == 1) {
      return bind(lowers.get(0), true); // overlay needs two layers to be read-only
    }
    List<String> options = new ArrayList<>();
    if (readOnly) {
      options.add("ro");
    } else {
      options.add("index=off"); // no hard-link origin index: upperdirs are diffed and archived
    }
    options.add("lowerdir=" + String.join(":", lowers.stream().map(Path::toString).toList()));
    if (!readOnly) {
      options.add("upperdir=" + stored.fs());
      options.add("workdir=" + stored.work());
    }
    return new Mount("overlay", "overlay", options);
  }

  private static Mount bind(Path source, boolean readOnly) {
    return new Mount("bind", source.toString(), readOnly ? List.of("rbind", "ro") : List.of("rbind", "rw"));
  }
}
