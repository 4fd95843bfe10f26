package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jocker.images.ImageException;

/**
 * containerd's overlay snapshotter, on disk under a root:
 *
 * <pre>
 * root/lock                      taken (record lock) by every operation, across processes
 * root/snapshots/N/meta.json     {"key","parent","kind","created"}, written atomically, last
 * root/snapshots/N/fs            the snapshot's content: an overlay upperdir or a bind source
 * root/snapshots/N/work          overlay workdir (active snapshots with a parent only)
 * </pre>
 *
 * Committed snapshots are keyed by their layer chain id; their parent is the chain id below.
 * A directory N without meta.json is the leftover of a crash while creating, a directory
 * "removing-N" of one while removing; both are deleted when a snapshotter is opened. Each
 * operation takes the lock and hands over to the class that does it: {@link SnapshotPreparer},
 * {@link SnapshotCommitter}, {@link SnapshotRemover}, {@link OverlayMounts}, {@link SnapshotOrder},
 * {@link SnapshotUsageMeter}, {@link LeftoverCleaner}, all over the {@link SnapshotRecords}.
 */
public final class OverlaySnapshotter {
  private final SnapshotRecords records;
  private final SnapshotLock lock;
  private final SnapshotPreparer preparer;
  private final SnapshotCommitter committer;
  private final SnapshotRemover remover;

  /** Opens (creating if needed) the snapshotter under {@code root} and cleans crash leftovers. */
  public OverlaySnapshotter(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    if (absolute.toString().matches(".*[,:].*")) { // overlay options separate with ',' and ':'
      throw new ImageException("snapshot root " + absolute + " must not contain ',' or ':'");
    }
    Path snapshots = absolute.resolve("snapshots");
    try {
      Files.createDirectories(snapshots);
    } catch (IOException e) {
      throw new ImageException("creating " + snapshots + ": " + e.getMessage(), e);
    }
    this.records = new SnapshotRecords(snapshots);
    this.lock = new SnapshotLock(absolute.resolve("lock"));
    this.preparer = new SnapshotPreparer(records);
    this.committer = new SnapshotCommitter(records);
    this.remover = new SnapshotRemover(records);
    lock.run(() -> LeftoverCleaner.clean(snapshots));
  }

  public boolean exists(String key) {
    return stat(key).isPresent();
  }

  public Optional<SnapshotInfo> stat(String key) {
    return lock.locked(() -> Optional.ofNullable(records.index().get(key)).map(StoredSnapshot::info));
  }

  /**
   * A new writable snapshot on top of committed {@code parent} (null for none) and the mount
   * that shows it: an overlay of the parent chain, or a bind of an empty directory.
   */
  public Mount prepare(String key, String parent) {
    return lock.locked(() -> preparer.create(key, parent, SnapshotKind.ACTIVE));
  }

  /** A new read-only snapshot of committed {@code parent} (null for an empty one). */
  public Mount view(String key, String parent) {
    return lock.locked(() -> preparer.create(key, parent, SnapshotKind.VIEW));
  }

  /** The mount of an existing active snapshot or view. */
  public Mount mounts(String key) {
    return lock.locked(() -> {
      Map<String, StoredSnapshot> index = records.index();
      return OverlayMounts.of(SnapshotRecords.require(index, key), index);
    });
  }

  /**
   * The directory that holds an active snapshot's own content (its overlay upperdir): where a
   * layer is unpacked before it is committed.
   */
  public Path contentDir(String key) {
    return lock.locked(() -> {
      StoredSnapshot stored = SnapshotRecords.require(records.index(), key);
      if (stored.info().kind() != SnapshotKind.ACTIVE) {
        throw new ImageException("snapshot " + key + " is not active (it is " + stored.kindName() + ")");
      }
      return stored.fs();
    });
  }

  /** Freezes active snapshot {@code activeKey} into committed snapshot {@code name}. */
  public void commit(String name, String activeKey) {
    lock.run(() -> committer.commit(name, activeKey, false, null));
  }

  /**
   * As {@link #commit(String, String)}, placing the committed snapshot on {@code parent} (which
   * must be committed). This lets layers be unpacked side by side into parentless snapshots (a
   * layer's own content does not depend on what is under it) and chained when committed in order.
   */
  public void commit(String name, String activeKey, String parent) {
    lock.run(() -> committer.commit(name, activeKey, true, parent));
  }

  /** Removes a snapshot; a committed one only when no other snapshot has it as parent. */
  public void remove(String key) {
    lock.run(() -> remover.remove(key));
  }

  /** Every snapshot, parents before children, then by key. */
  public List<SnapshotInfo> list() {
    return lock.locked(() -> SnapshotOrder.parentsFirst(records.index()));
  }

  public void walk(Consumer<SnapshotInfo> visitor) {
    list().forEach(visitor);
  }

  /** Disk use of the snapshot's own content (not its parents'), measured outside the lock. */
  public SnapshotUsage usage(String key) {
    Path fs = lock.locked(() -> SnapshotRecords.require(records.index(), key).fs());
    try {
      return SnapshotUsageMeter.measure(fs);
    } catch (IOException e) {
      throw new ImageException("measuring snapshot " + key + ": " + e.getMessage(), e);
    }
  }
}
