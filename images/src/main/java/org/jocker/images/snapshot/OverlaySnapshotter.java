package org.jocker.images.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jocker.images.ImageException;
import org.jocker.kernel.FileTrees;

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
 * "removing-N" of one while removing; both are deleted when a snapshotter is opened.
 */
public final class OverlaySnapshotter {
  private static final String META = "meta.json";
  private static final String REMOVING = "removing-";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** meta.json, as written. */
  private record Metadata(String key, String parent, String kind, String created) {
    SnapshotInfo info() {
      return new SnapshotInfo(key, parent, SnapshotKind.valueOf(kind), Instant.parse(created));
    }
  }

  /** A snapshot found on disk: its directory and what its meta.json says. */
  private record Stored(Path dir, SnapshotInfo info) {
    Path fs() {
      return dir.resolve("fs");
    }

    Path work() {
      return dir.resolve("work");
    }
  }

  private final Path snapshots;
  private final SnapshotLock lock;

  /** Opens (creating if needed) the snapshotter under {@code root} and cleans crash leftovers. */
  public OverlaySnapshotter(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    if (absolute.toString().matches(".*[,:].*")) { // overlay options separate with ',' and ':'
      throw new ImageException("snapshot root " + absolute + " must not contain ',' or ':'");
    }
    this.snapshots = absolute.resolve("snapshots");
    try {
      Files.createDirectories(snapshots);
    } catch (IOException e) {
      throw new ImageException("creating " + snapshots + ": " + e.getMessage(), e);
    }
    this.lock = new SnapshotLock(absolute.resolve("lock"));
    lock.locked(this::cleanLeftovers);
  }

  public boolean exists(String key) {
    return stat(key).isPresent();
  }

  public Optional<SnapshotInfo> stat(String key) {
    return lock.locked(() -> Optional.ofNullable(index().get(key)).map(Stored::info));
  }

  /**
   * A new writable snapshot on top of committed {@code parent} (null for none) and the mount
   * that shows it: an overlay of the parent chain, or a bind of an empty directory.
   */
  public Mount prepare(String key, String parent) {
    return create(key, parent, SnapshotKind.ACTIVE);
  }

  /** A new read-only snapshot of committed {@code parent} (null for an empty one). */
  public Mount view(String key, String parent) {
    return create(key, parent, SnapshotKind.VIEW);
  }

  /** The mount of an existing active snapshot or view. */
  public Mount mounts(String key) {
    return lock.locked(() -> {
      Map<String, Stored> index = index();
      return mountOf(require(index, key), index);
    });
  }

  /**
   * The directory that holds an active snapshot's own content (its overlay upperdir): where a
   * layer is unpacked before it is committed.
   */
  public Path contentDir(String key) {
    return lock.locked(() -> {
      Stored stored = require(index(), key);
      if (stored.info().kind() != SnapshotKind.ACTIVE) {
        throw new ImageException("snapshot " + key + " is not active (it is " + kindName(stored) + ")");
      }
      return stored.fs();
    });
  }

  /** Freezes active snapshot {@code activeKey} into committed snapshot {@code name}. */
  public void commit(String name, String activeKey) {
    commit(name, activeKey, false, null);
  }

  /**
   * As {@link #commit(String, String)}, placing the committed snapshot on {@code parent} (which
   * must be committed). This lets layers be unpacked side by side into parentless snapshots (a
   * layer's own content does not depend on what is under it) and chained when committed in order.
   */
  public void commit(String name, String activeKey, String parent) {
    commit(name, activeKey, true, parent);
  }

  private void commit(String name, String activeKey, boolean reparent, String newParent) {
    lock.locked(() -> {
      Map<String, Stored> index = index();
      Stored active = require(index, activeKey);
      if (active.info().kind() != SnapshotKind.ACTIVE) {
        throw new ImageException("cannot commit snapshot " + activeKey + ": it is " + kindName(active));
      }
      if (index.containsKey(name)) {
        throw new ImageException("cannot commit " + activeKey + " as " + name + ": snapshot " + name + " exists");
      }
      SnapshotInfo info = active.info();
      String parent = reparent ? newParent : info.parent();
      if (reparent && parent != null && require(index, parent).info().kind() != SnapshotKind.COMMITTED) {
        throw new ImageException("cannot commit " + activeKey + " on " + parent + ": it is not committed");
      }
      writeMetadata(active.dir(), new SnapshotInfo(name, parent, SnapshotKind.COMMITTED, info.created()));
      deleteTree(active.work()); // only needed while mounted writable
      return null;
    });
  }

  /** Removes a snapshot; a committed one only when no other snapshot has it as parent. */
  public void remove(String key) {
    lock.locked(() -> {
      Map<String, Stored> index = index();
      Stored stored = require(index, key);
      List<String> children = index.values().stream().map(Stored::info)
          .filter(info -> key.equals(info.parent())).map(SnapshotInfo::key).sorted().toList();
      if (!children.isEmpty()) {
        throw new ImageException("cannot remove snapshot " + key + ": it is the parent of " + String.join(", ", children));
      }
      Path doomed = stored.dir().resolveSibling(REMOVING + stored.dir().getFileName());
      move(stored.dir(), doomed); // atomic: from here it is gone, whatever happens to the delete
      deleteTree(doomed);
      return null;
    });
  }

  /** Every snapshot, parents before children, then by key. */
  public List<SnapshotInfo> list() {
    return lock.locked(() -> {
      Map<String, Stored> index = index();
      List<SnapshotInfo> ordered = new ArrayList<>();
      Set<String> done = new HashSet<>();
      List<SnapshotInfo> all = index.values().stream().map(Stored::info)
          .sorted(Comparator.comparing(SnapshotInfo::key)).toList();
      for (SnapshotInfo info : all) {
        addWithAncestors(info, index, done, ordered);
      }
      return ordered;
    });
  }

  private static void addWithAncestors(SnapshotInfo info, Map<String, Stored> index, Set<String> done,
      List<SnapshotInfo> ordered) {
    if (done.contains(info.key())) {
      return;
    }
    Stored parent = info.parent() == null ? null : index.get(info.parent());
    if (parent != null) {
      addWithAncestors(parent.info(), index, done, ordered);
    }
    done.add(info.key());
    ordered.add(info);
  }

  public void walk(Consumer<SnapshotInfo> visitor) {
    list().forEach(visitor);
  }

  /** Disk use of the snapshot's own content (not its parents'). */
  public SnapshotUsage usage(String key) {
    Path fs = lock.locked(() -> require(index(), key).fs());
    long[] totals = new long[2];
    Set<Object> seen = new HashSet<>();
    try {
      Files.walkFileTree(fs, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          count(attrs);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          count(attrs);
          return FileVisitResult.CONTINUE;
        }

        private void count(BasicFileAttributes attrs) {
          if (seen.add(attrs.fileKey())) {
            totals[0] += attrs.size();
            totals[1]++;
          }
        }
      });
    } catch (IOException e) {
      throw new ImageException("measuring snapshot " + key + ": " + e.getMessage(), e);
    }
    return new SnapshotUsage(totals[0], totals[1]);
  }

  private Mount create(String key, String parent, SnapshotKind kind) {
    return lock.locked(() -> {
      Map<String, Stored> index = index();
      if (index.containsKey(key)) {
        throw new ImageException("snapshot " + key + " already exists");
      }
      if (parent != null) {
        Stored stored = require(index, parent);
        if (stored.info().kind() != SnapshotKind.COMMITTED) {
          throw new ImageException("parent snapshot " + parent + " is not committed (it is " + kindName(stored) + ")");
        }
      }
      Path dir = snapshots.resolve(Long.toString(nextId()));
      try {
        Files.createDirectory(dir);
        Files.createDirectory(dir.resolve("fs"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        if (kind == SnapshotKind.ACTIVE && parent != null) {
          Files.createDirectory(dir.resolve("work"));
        }
      } catch (IOException e) {
        throw new ImageException("creating snapshot " + key + " in " + dir + ": " + e.getMessage(), e);
      }
      SnapshotInfo info = new SnapshotInfo(key, parent, kind, Instant.now());
      writeMetadata(dir, info); // last: until now the directory is a recognisable leftover
      Stored stored = new Stored(dir, info);
      index.put(key, stored);
      return mountOf(stored, index);
    });
  }

  private static Mount mountOf(Stored stored, Map<String, Stored> index) {
    SnapshotInfo info = stored.info();
    if (info.kind() == SnapshotKind.COMMITTED) {
      throw new ImageException("snapshot " + info.key() + " is committed; make a view or an active snapshot of it");
    }
    boolean readOnly = info.kind() == SnapshotKind.VIEW;
    List<Path> lowers = new ArrayList<>();
    for (String parent = info.parent(); parent != null; ) {
      Stored ancestor = require(index, parent);
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

  private static Stored require(Map<String, Stored> index, String key) {
    Stored stored = index.get(key);
    if (stored == null) {
      throw new ImageException("snapshot " + key + " does not exist");
    }
    return stored;
  }

  private static String kindName(Stored stored) {
    return stored.info().kind().name().toLowerCase();
  }

  /** Every complete snapshot, by key. */
  private Map<String, Stored> index() {
    Map<String, Stored> index = new LinkedHashMap<>();
    for (Path dir : numberedDirs()) {
      Path meta = dir.resolve(META);
      try {
        Metadata metadata = JSON.readValue(meta.toFile(), Metadata.class);
        index.put(metadata.key(), new Stored(dir, metadata.info()));
      } catch (IOException e) {
        if (Files.exists(meta)) {
          throw new ImageException("snapshot metadata " + meta + " is unreadable: " + e.getMessage(), e);
        }
        // no meta.json: being created by a crashed process; ignored until cleaned up
      }
    }
    return index;
  }

  private List<Path> numberedDirs() {
    try (Stream<Path> dirs = Files.list(snapshots)) {
      return dirs.filter(d -> d.getFileName().toString().matches("\\d+"))
          .sorted(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString()))).toList();
    } catch (IOException e) {
      throw new ImageException("listing " + snapshots + ": " + e.getMessage(), e);
    }
  }

  private long nextId() {
    List<Path> dirs = numberedDirs();
    return dirs.isEmpty() ? 1 : Long.parseLong(dirs.getLast().getFileName().toString()) + 1;
  }

  /** Deletes snapshot directories left by a crash: without meta.json, or half removed. */
  private Void cleanLeftovers() {
    try (Stream<Path> dirs = Files.list(snapshots)) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        boolean incomplete = name.matches("\\d+") && !Files.exists(dir.resolve(META));
        if (incomplete || name.startsWith(REMOVING) || name.endsWith(".tmp")) {
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      throw new ImageException("cleaning " + snapshots + ": " + e.getMessage(), e);
    }
    return null;
  }

  /** write to a temporary file, fsync, rename over meta.json, fsync the directory. */
  private static void writeMetadata(Path dir, SnapshotInfo info) {
    Path temporary = dir.resolve(META + ".tmp");
    Metadata metadata = new Metadata(info.key(), info.parent(), info.kind().name(), info.created().toString());
    try {
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        out.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(metadata)));
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

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new ImageException("cannot rename " + from + " atomically", e);
    } catch (IOException e) {
      throw new ImageException("renaming " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      throw new ImageException("deleting " + root + ": " + e.getMessage(), e);
    }
  }
}
