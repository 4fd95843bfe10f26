package org.jocker.images.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock held across processes (fcntl lock on a file) and across threads of this
 * process. Java file locks belong to the process, and a second lock attempt from the same JVM
 * fails instead of waiting, so threads queue on a JVM-wide mutex first.
 */
public final class LockFile {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final Path path;
  private final ReentrantLock mutex;

  public LockFile(Path path) {
    this.path = path.toAbsolutePath().normalize();
    this.mutex = IN_PROCESS.computeIfAbsent(this.path, p -> new ReentrantLock());
  }

  /** Blocks until this process holds the lock; close the result to release it. */
  public Held acquire() throws IOException {
    mutex.lock();
    if (mutex.getHoldCount() > 1) {
      // Re-entered by the same thread: the outer holder already has the file lock.
      return new Held(null, null);
    }
    try {
      Files.createDirectories(path.getParent());
      FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      try {
        return new Held(channel, channel.lock());
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      mutex.unlock();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** A held lock. Closing the channel releases the fcntl lock, then the mutex is released. */
  public final class Held implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    /** False when this thread already held the lock: it is inside another holder's work. */
    public boolean outermost() {
      return lock != null;
    }

    @Override
    public void close() throws IOException {
      if (released) {
        return;
      }
      released = true;
      try {
        if (lock != null) {
          lock.release();
          channel.close();
        }
      } finally {
        mutex.unlock();
      }
    }
  }
}
