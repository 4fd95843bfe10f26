package org.jocker.runtime.state;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One permit per lock file for the threads of this process (Java file locks belong to the process,
 * so threads must exclude each other first). A file's entry lives only while some thread holds or
 * waits for its permit: a resident engine meets a new container id with each run, for hours.
 * A permit, unlike a ReentrantLock, may be given back by another thread than the one that took it.
 */
final class FilePermits {
  private final Map<Path, Permit> byFile = new HashMap<>(); // guarded by this

  /** One file's permit and how many threads hold or wait for it. */
  static final class Permit {
    private final Path file;
    private final Semaphore semaphore = new Semaphore(1);
    private int users; // guarded by the FilePermits

    private Permit(Path file) {
      this.file = file;
    }
  }

  /** Waits for the file's permit. */
  Permit acquire(Path file) {
    Permit p = join(file);
    p.semaphore.acquireUninterruptibly();
    return p;
  }

  /** The file's permit, or null if another thread holds it. */
  Permit tryAcquire(Path file) {
    Permit p = join(file);
    if (p.semaphore.tryAcquire()) {
      return p;
    }
    leave(p);
    return null;
  }

  /** Gives the permit back; the file's entry goes with its last user. */
  void release(Permit p) {
    p.semaphore.release();
    leave(p);
  }

  /** How many files have an entry (for tests: none once every permit is back). */
  synchronized int size() {
    return byFile.size();
  }

  private synchronized Permit join(Path file) {
    Permit p = byFile.computeIfAbsent(file, Permit::new);
    p.users++;
    return p;
  }

  private synchronized void leave(Permit p) {
    if (--p.users == 0) {
      byFile.remove(p.file);
    }
  }
}
