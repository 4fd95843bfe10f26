package org.jocker.engine.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.jocker.kernel.LockFile;

/**
 * Serialises the changes to the container store (create, start, rm, rename) across processes
 * and across the threads of one process (a resident engine): a kernel {@link LockFile}, so the
 * kernel drops it with its holder and a killed `jocker` never leaves it held. Reentrant: a failed
 * create removes what it made while holding it.
 */
final class StoreLock {
  private final Path file;

  StoreLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  <T> T locked(Supplier<T> work) {
    try (LockFile.Held held = hold(true).orElseThrow()) {
      return work.get();
    }
  }

  void locked(Runnable work) {
    locked(() -> {
      work.run();
      return null;
    });
  }

  /**
   * Runs work only if nobody holds the lock, this thread included (its own change in progress is
   * not a leftover); returns whether it ran.
   */
  boolean ifFree(Runnable work) {
    Optional<LockFile.Held> held = hold(false);
    if (held.isEmpty()) {
      return false;
    }
    try (LockFile.Held h = held.get()) {
      work.run();
      return true;
    }
  }

  private Optional<LockFile.Held> hold(boolean wait) {
    try {
      Files.createDirectories(file.getParent());
      return wait ? Optional.of(LockFile.lock(file)) : LockFile.tryLock(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }
}
