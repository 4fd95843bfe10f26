package org.jocker.kernel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one exclusive lock on a file, across processes and across the threads of this process.
 *
 * <p>Across processes it is a POSIX record lock ({@link FileChannel#lock}: fcntl, not flock) that
 * the kernel drops with its holder, so a killed process never leaves it held. Such a lock belongs
 * to the process: a second lock from the same JVM fails instead of waiting, and closing any channel
 * of the file drops it. So threads first take the file's in-process entry, and only the outermost
 * holder opens the file and takes the record lock.
 *
 * <p>Re-entrant: the owning thread locks again without waiting (e.g. a cleanup that removes a
 * container through the same methods as the commands). A {@link Held} may be closed by another
 * thread than the one that locked (the runtime hands a create's lock to the code that finishes
 * it). A file's entry lives only while some thread holds or waits for it: a resident engine meets
 * a new container with each run, for hours. The lock file is created if missing; its directory
 * is not, so locking in a removed directory fails with NoSuchFileException.
 */
public final class LockFile {
  /** Guarded by itself. */
  private static final Map<Path, Entry> ENTRIES = new HashMap<>();

  /** One file's in-process lock. */
  private static final class Entry {
    final Path file;
    int users; // holders and waiters; guarded by ENTRIES
    Thread owner; // guarded by this
    int holds; // guarded by this
    FileChannel channel; // open while held; guarded by this

    Entry(Path file) {
      this.file = file;
    }
  }

  private LockFile() {}

  /** Waits until this thread holds {@code file}'s lock (at once if it already does). */
  public static Held lock(Path file) throws IOException {
    Entry e = join(file);
    Thread me = Thread.currentThread();
    synchronized (e) {
      if (e.owner == me) {
        e.holds++;
        return new Held(e, false);
      }
      boolean interrupted = false;
      while (e.owner != null) {
        try {
          e.wait();
        } catch (InterruptedException ie) {
          interrupted = true; // like the file lock's waiting: uninterruptible, the flag is kept
        }
      }
      e.owner = me;
      e.holds = 1;
      if (interrupted) {
        me.interrupt();
      }
    }
    return takeFileLock(e, true).orElseThrow();
  }

  /**
   * The lock if nobody holds it, this thread included (a thread's own work in progress is not
   * free), else empty and nothing is kept.
   */
  public static Optional<Held> tryLock(Path file) throws IOException {
    Entry e = join(file);
    synchronized (e) {
      if (e.owner != null) {
        leave(e);
        return Optional.empty();
      }
      e.owner = Thread.currentThread();
      e.holds = 1;
    }
    return takeFileLock(e, false);
  }

  /** How many files have an in-process entry (for tests: none once every lock is closed). */
  public static int tracked() {
    synchronized (ENTRIES) {
      return ENTRIES.size();
    }
  }

  /** With the in-process lock owned: the record lock, or empty (and all given back) if not had. */
  private static Optional<Held> takeFileLock(Entry e, boolean wait) throws IOException {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(e.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (wait) {
        channel.lock();
      } else if (channel.tryLock() == null) {
        closeQuietly(channel);
        release(e);
        return Optional.empty();
      }
    } catch (IOException | RuntimeException | Error ex) {
      closeQuietly(channel);
      release(e);
      throw ex;
    }
    synchronized (e) {
      e.channel = channel;
    }
    return Optional.of(new Held(e, true));
  }

  private static Entry join(Path file) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (ENTRIES) {
      Entry e = ENTRIES.computeIfAbsent(key, Entry::new);
      e.users++;
      return e;
    }
  }

  private static void leave(Entry e) {
    synchronized (ENTRIES) {
      if (--e.users == 0) {
        ENTRIES.remove(e.file);
      }
    }
  }

  /** Gives one hold back; the last one closes the channel (dropping the record lock) and wakes a waiter. */
  private static void release(Entry e) {
    synchronized (e) {
      if (--e.holds == 0) {
        closeQuietly(e.channel);
        e.channel = null;
        e.owner = null;
        e.notifyAll();
      }
    }
    leave(e);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close(); // releases the record lock
      } catch (IOException ex) {
        // closing a lock file loses nothing
      }
    }
  }

  /** One hold of the lock; close it once (again is a no-op), from any thread. */
  public static final class Held implements AutoCloseable {
    private final Entry entry;
    private final boolean outermost;
    private boolean closed; // guarded by this

    private Held(Entry entry, boolean outermost) {
      this.entry = entry;
      this.outermost = outermost;
    }

    /** False when the thread already held the lock: it is inside another hold's work. */
    public boolean outermost() {
      return outermost;
    }

    public Path file() {
      return entry.file;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(entry);
    }
  }
}
