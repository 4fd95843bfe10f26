package org.jocker.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's lock on one container (containers/ID/.lock), held while a start, stop, removal or
 * the cleanup after its exit decides and acts, so that these never interleave: e.g. a removal and
 * a restart by the policy. A file lock for other processes (a POSIX record lock: FileChannel.lock),
 * and a reentrant lock within this one (file locks do not exclude the threads of one process;
 * reentrant: a cleanup holding it removes or starts the container through the same methods as the
 * commands).
 */
final class ContainerLock implements AutoCloseable {
  private static final String FILE = ".lock";
  private static final String RECORD = "container.json";
  /** Only while some thread holds or waits for it: a resident engine meets many containers. */
  private static final Map<Path, Held> HELD = new HashMap<>(); // guarded by itself

  /**
   * The in-process lock of a path, while some thread holds it the file lock, and how many
   * acquisitions (each one closed once, re-entries included) are waiting or not yet closed.
   */
  private static final class Held {
    final Path dir;
    final ReentrantLock local = new ReentrantLock();
    FileLock file;
    int users; // guarded by HELD

    Held(Path dir) {
      this.dir = dir;
    }
  }

  private final Held held;

  private ContainerLock(Held held) {
    this.held = held;
  }

  /**
   * Waits for the lock of the container in {@code dir}; empty if the container does not exist (or
   * was removed while we waited), and then nothing is held.
   */
  static Optional<ContainerLock> ifPresent(Path dir) {
    Held h = join(dir.toAbsolutePath().normalize());
    h.local.lock();
    try {
      if (h.local.getHoldCount() == 1) {
        h.file = fileLock(dir);
        if (h.file == null) {
          unlock(h);
          return Optional.empty();
        }
      }
      if (!Files.exists(dir.resolve(RECORD))) {
        new ContainerLock(h).close();
        return Optional.empty();
      }
      return Optional.of(new ContainerLock(h));
    } catch (RuntimeException e) {
      unlock(h);
      throw e;
    }
  }

  private static Held join(Path dir) {
    synchronized (HELD) {
      Held h = HELD.computeIfAbsent(dir, Held::new);
      h.users++;
      return h;
    }
  }

  /** Unlocks one acquisition; the path's entry goes with its last user. */
  private static void unlock(Held h) {
    h.local.unlock();
    synchronized (HELD) {
      if (--h.users == 0) {
        HELD.remove(h.dir);
      }
    }
  }

  /** How many containers have an entry (for tests: none once every lock is closed). */
  static int tracked() {
    synchronized (HELD) {
      return HELD.size();
    }
  }

  /** Like {@link #ifPresent}, failing with Docker's "No such container". */
  static ContainerLock of(Path dir, String idOrName) {
    return ifPresent(dir).orElseThrow(() -> EngineException.notFound("No such container: " + idOrName));
  }

  private static FileLock fileLock(Path dir) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      return channel.lock();
    } catch (NoSuchFileException e) {
      return null; // the container's directory is gone
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + dir, e);
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

  @Override
  public void close() {
    if (held.local.getHoldCount() == 1) {
      closeQuietly(held.file.channel()); // releases the file lock
      held.file = null;
    }
    unlock(held);
  }
}
