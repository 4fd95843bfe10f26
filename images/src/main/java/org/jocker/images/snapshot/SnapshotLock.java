package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jocker.images.ImageException;
import org.jocker.kernel.LockFile;

/** Serialises snapshot operations on one root, across processes and threads (a kernel LockFile). */
final class SnapshotLock {
  private final Path file;

  SnapshotLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
  }

  <T> T locked(Supplier<T> action) {
    LockFile.Held held;
    try {
      held = LockFile.lock(file);
    } catch (IOException e) {
      throw new ImageException("locking " + file + ": " + e.getMessage(), e);
    }
    try (held) {
      return action.get();
    }
  }

  void run(Runnable action) {
    locked(() -> {
      action.run();
      return null;
    });
  }
}
