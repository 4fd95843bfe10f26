package org.jocker.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the changes to the container store (create, start, rm, rename) across processes
 * (a POSIX record lock on one file: FileChannel.lock, not a flock) and across the threads of one
 * process (a resident engine), since a file lock is per process. The kernel drops it with its
 * holder, so a killed `jocker` never leaves it held. Reentrant: a failed create removes what it
 * made while holding it.
 */
final class StoreLock {
  private static final Map<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();

  private final Path file;
  private final ReentrantLock threads;
  private FileChannel channel; // open while this instance holds the file lock; guarded by threads

  StoreLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.threads = THREADS.computeIfAbsent(this.file, f -> new ReentrantLock());
  }

  <T> T locked(Supplier<T> work) {
    threads.lock();
    try {
      if (threads.getHoldCount() == 1) {
        channel = open();
        try {
          channel.lock();
        } catch (IOException e) {
          closeChannel();
          throw new UncheckedIOException("cannot lock " + file, e);
        }
      }
      return work.get();
    } finally {
      if (threads.getHoldCount() == 1) {
        closeChannel();
      }
      threads.unlock();
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
    if (threads.isHeldByCurrentThread() || !threads.tryLock()) {
      return false;
    }
    try {
      channel = open();
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + file, e);
      }
      if (lock == null) {
        return false;
      }
      work.run();
      return true;
    } finally {
      closeChannel();
      threads.unlock();
    }
  }

  private FileChannel open() {
    try {
      Files.createDirectories(file.getParent());
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close(); // releases the file lock
      } catch (IOException e) {
        // closing a lock file loses nothing
      }
      channel = null;
    }
  }
}
