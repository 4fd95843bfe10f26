package org.jocker.images.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jocker.images.ImageException;

/**
 * Serialises snapshot operations on one root: a lock file (a POSIX record lock, across processes)
 * plus an in-process lock, since one JVM cannot hold two overlapping file locks.
 */
final class SnapshotLock {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock local;

  SnapshotLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.local = IN_PROCESS.computeIfAbsent(this.file, f -> new ReentrantLock());
  }

  <T> T locked(Supplier<T> action) {
    local.lock();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock ignored = channel.lock()) {
      return action.get();
    } catch (IOException e) {
      throw new ImageException("locking " + file + ": " + e.getMessage(), e);
    } finally {
      local.unlock();
    }
  }
}
