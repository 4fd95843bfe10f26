package org.jocker.runtime.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.jocker.kernel.Durable;
import org.jocker.kernel.FileTrees;
import org.jocker.kernel.LockFile;
import org.jocker.kernel.PrivateDirectory;
import org.jocker.kernel.UnsafeDirectoryException;
import org.jocker.runtime.OciRuntimeException;

/**
 * The runtime's state root (runc's --root): one directory per container holding state.json, the
 * monitor's socket and exit file. A container exists exactly when its directory holds state.json.
 */
public final class StateStore {
  private static final Pattern VALID_ID = Pattern.compile("[\\w+.-]{1,128}");
  private static final String RECORD = "state.json";
  private static final FileAttribute<?> PRIVATE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final Path root;
  private final ObjectMapper json;

  public StateStore(Path root, ObjectMapper json) {
    this.root = root.toAbsolutePath();
    this.json = json;
  }

  public Path root() {
    return root;
  }

  public Path dir(String id) {
    checkId(id);
    return root.resolve(id);
  }

  public static void checkId(String id) {
    if (id == null || !VALID_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
      throw new OciRuntimeException("invalid container id \"" + id
          + "\": use letters, digits, '_', '+', '-' and '.' (at most 128)");
    }
  }

  /**
   * Claims the id for a create: makes its directory and returns the held lock, or fails if a
   * container with that id exists or is being created.
   */
  public LockFile.Held claim(String id) {
    Path dir = dir(id);
    try {
      requirePrivateRoot();
      Files.createDirectory(dir, PRIVATE);
      return lock(id);
    } catch (FileAlreadyExistsException e) {
      LockFile.Held stale = exists(id) ? null : tryLock(id);
      if (stale == null) {
        throw new ContainerExistsException(id);
      }
      // Left by a create that crashed before it wrote its record: nothing runs there.
      closeLock(stale);
      removeDir(id);
      return claim(id);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create state directory " + dir, e);
    }
  }

  public void save(ContainerRecord record) {
    try {
      Durable.writeUnchecked(dir(record.id()).resolve(RECORD), json.writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ContainerRecord load(String id) {
    try {
      return json.readValue(dir(id).resolve(RECORD).toFile(), ContainerRecord.class);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new ContainerNotFoundException(id);
    } catch (IOException e) {
      throw new OciRuntimeException("container " + id + ": unreadable state: " + e.getMessage(), e);
    }
  }

  public boolean exists(String id) {
    return Files.exists(dir(id).resolve(RECORD));
  }

  /** Ids of all containers, sorted. */
  public List<String> ids() {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return ids;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path d : dirs) {
        if (Files.exists(d.resolve(RECORD))) {
          ids.add(d.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /** An exclusive lock on one container, for operations that change it; release with closeLock. */
  public LockFile.Held lock(String id) {
    return hold(id, true);
  }

  /** The container's lock if free (null if another create or change holds it, this thread's included). */
  public LockFile.Held tryLock(String id) {
    return hold(id, false);
  }

  private LockFile.Held hold(String id, boolean wait) {
    Path file = dir(id).resolve(".lock");
    try {
      return wait ? LockFile.lock(file) : LockFile.tryLock(file).orElse(null);
    } catch (NoSuchFileException e) {
      throw new ContainerNotFoundException(id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Releases a lock; may run on another thread than the one that locked. */
  public static void closeLock(LockFile.Held lock) {
    lock.close();
  }

  /** How many lock files the process keeps track of (for tests: 0 when none is held). */
  static int trackedLocks() {
    return LockFile.tracked();
  }

  /** Removes the record first (so the container stops existing), then the rest. */
  public void removeDir(String id) {
    Path dir = dir(id);
    try {
      Files.deleteIfExists(dir.resolve(RECORD));
    } catch (NoSuchFileException e) {
      return; // the whole directory is gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
    FileTrees.deleteUnchecked(dir);
  }

  /** The root holds every container's directory and monitor socket: it must be root's alone. */
  private void requirePrivateRoot() {
    try {
      PrivateDirectory.require(root, "the runtime's state directory");
    } catch (UnsafeDirectoryException e) {
      throw new OciRuntimeException(e.getMessage(), e);
    }
  }
}
