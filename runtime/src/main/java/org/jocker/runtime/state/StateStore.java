package org.jocker.runtime.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jocker.kernel.Durable;
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

  /**
   * Java file locks belong to the process: a second thread locking the same file fails
   * (OverlappingFileLockException) instead of waiting, and closing any channel of the file drops
   * the process's lock. So threads of one JVM (the resident engine runs many commands) first take
   * the file's permit; closeLock may run on another thread than the lock.
   */
  private static final FilePermits PERMITS = new FilePermits();
  private static final ConcurrentHashMap<FileLock, FilePermits.Permit> HELD = new ConcurrentHashMap<>();

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
  public FileLock claim(String id) {
    Path dir = dir(id);
    try {
      PrivateDirectory.require(root, "the runtime's state directory");
      Files.createDirectory(dir, PRIVATE);
      return lock(id);
    } catch (FileAlreadyExistsException e) {
      FileLock stale = exists(id) ? null : tryLock(id);
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
  public FileLock lock(String id) {
    return fileLock(id, PERMITS.acquire(lockFile(id)), true);
  }

  /** The container's lock if free (null if another create or change holds it). */
  public FileLock tryLock(String id) {
    FilePermits.Permit permit = PERMITS.tryAcquire(lockFile(id));
    return permit == null ? null : fileLock(id, permit, false); // null: another thread holds it
  }

  private Path lockFile(String id) {
    return dir(id).resolve(".lock").toAbsolutePath().normalize();
  }

  /** Takes the file lock under the thread's permit; without the lock, the permit goes back. */
  private FileLock fileLock(String id, FilePermits.Permit permit, boolean wait) {
    FileChannel channel = null;
    FileLock lock = null;
    try {
      channel = lockChannel(id);
      lock = wait ? channel.lock() : channel.tryLock();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (lock == null) {
        closeQuietly(channel);
        PERMITS.release(permit);
      }
    }
    if (lock != null) {
      HELD.put(lock, permit);
    }
    return lock;
  }

  private FileChannel lockChannel(String id) throws IOException {
    try {
      return FileChannel.open(dir(id).resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new ContainerNotFoundException(id);
    }
  }

  public static void closeLock(FileLock lock) {
    closeQuietly(lock.channel()); // releases the file lock
    FilePermits.Permit permit = HELD.remove(lock);
    if (permit != null) {
      PERMITS.release(permit);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // closing a lock file cannot lose data
    }
  }

  /** How many lock files and held locks the process keeps track of (for tests: 0 when none is held). */
  static int trackedLocks() {
    return PERMITS.size() + HELD.size();
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
    Directories.deleteRecursively(dir);
  }
}
