package org.jocker.images.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jocker.images.ImageException;
import org.jocker.kernel.FileTrees;

/**
 * The snapshots directory: one numbered directory per snapshot, whose meta.json (written last,
 * atomically) makes it a snapshot. What containerd keeps in its metadata database is here on
 * disk, so a crash leaves either a whole record or a recognisable leftover. Callers hold the lock.
 */
final class SnapshotRecords {
  static final String META = "meta.json";
  /** The prefix a directory is renamed to before it is deleted. */
  static final String REMOVING = "removing-";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** meta.json, as written. */
  private record Metadata(String key, String parent, String kind, String created) {
    SnapshotInfo info() {
      return new SnapshotInfo(key, parent, SnapshotKind.valueOf(kind), Instant.parse(created));
    }
  }

  private final Path snapshots;

  SnapshotRecords(Path snapshots) {
    this.snapshots = snapshots;
  }

  /** Every complete snapshot, by key. */
  Map<String, StoredSnapshot> index() {
    Map<String, StoredSnapshot> index = new LinkedHashMap<>();
    for (Path dir : numberedDirs()) {
      Path meta = dir.resolve(META);
      try {
        Metadata metadata = JSON.readValue(meta.toFile(), Metadata.class);
        index.put(metadata.key(), new StoredSnapshot(dir, metadata.info()));
      } catch (IOException e) {
        if (Files.exists(meta)) {
          throw new ImageException("snapshot metadata " + meta + " is unreadable: " + e.getMessage(), e);
        }
        // no meta.json: being created by a crashed process; ignored until cleaned up
      }
    }
    return index;
  }

  static StoredSnapshot require(Map<String, StoredSnapshot> index, String key) {
    StoredSnapshot stored = index.get(key);
    if (stored == null) {
      throw new ImageException("snapshot " + key + " does not exist");
    }
    return stored;
  }

  /** The directory a new snapshot gets: numbered one past the highest (not created yet). */
  Path nextDirectory() {
    List<Path> dirs = numberedDirs();
    long next = dirs.isEmpty() ? 1 : Long.parseLong(dirs.getLast().getFileName().toString()) + 1;
    return snapshots.resolve(Long.toString(next));
  }

  private List<Path> numberedDirs() {
    try (Stream<Path> dirs = Files.list(snapshots)) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
          .sorted(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString()))).toList();
    } catch (IOException e) {
      throw new ImageException("listing " + snapshots + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code dir}'s meta.json: to a temporary file, fsync, rename over it, fsync the directory. */
  static void write(Path dir, SnapshotInfo info) {
    Path temporary = dir.resolve(META + ".tmp");
    Metadata metadata = new Metadata(info.key(), info.parent(), info.kind().name(), info.created().toString());
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(JSON.writeValueAsBytes(metadata)));
        out.force(true);
      }
      move(temporary, dir.resolve(META));
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw new ImageException("writing snapshot metadata in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Removes a snapshot's directory: renamed first, so it is gone at once whatever the delete meets. */
  static void discard(StoredSnapshot stored) {
    Path doomed = stored.dir().resolveSibling(REMOVING + stored.dir().getFileName());
    move(stored.dir(), doomed);
    deleteTree(doomed);
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new ImageException("cannot rename " + from + " atomically", e);
    } catch (IOException e) {
      throw new ImageException("renaming " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      throw new ImageException("deleting " + root + ": " + e.getMessage(), e);
    }
  }
}
