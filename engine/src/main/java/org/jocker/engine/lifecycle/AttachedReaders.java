package org.jocker.engine.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.jocker.engine.EngineException;

/**
 * A foreground `run` (or `start -a`) reads the container's exit code when it ends; the cleanup
 * that the container's monitor starts at the same moment may remove it (--rm) or start it again (a
 * restart policy), which would lose that code. So an attached command holds a shared lock on
 * containers/ID/attach.lock, and the cleanup first waits until no one holds it. If the attached
 * command is killed, its lock goes with it and the cleanup goes on: the container is still removed.
 *
 * <p>Within one process the attached threads of a container share one channel (closing any
 * channel of a file drops all of the process's locks on it).
 */
final class AttachedReaders {
  private static final String FILE = "attach.lock";
  /** Per lock file: the channel holding the shared lock and how many threads use it. Guarded by itself. */
  private static final Map<Path, Shared> HELD = new HashMap<>();

  private static final class Shared {
    final FileChannel channel;
    int users;

    Shared(FileChannel channel) {
      this.channel = channel;
    }
  }

  private AttachedReaders() {}

  /** An attached command's hold; closing it releases it. */
  interface Attached extends AutoCloseable {
    @Override
    void close();
  }

  /** Held by an attached command from before the start until it has the exit code. */
  static Attached attach(Path dir) {
    Path file = dir.resolve(FILE).toAbsolutePath().normalize();
    synchronized (HELD) {
      Shared s = HELD.get(file);
      if (s == null) {
        FileChannel channel = null;
        try {
          channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE);
          channel.lock(0, Long.MAX_VALUE, true);
        } catch (IOException e) {
          close(channel);
          throw new UncheckedIOException("cannot attach to " + dir, e);
        }
        s = new Shared(channel);
        HELD.put(file, s);
      }
      s.users++;
    }
    return () -> detach(file);
  }

  private static void detach(Path file) {
    synchronized (HELD) {
      Shared s = HELD.get(file);
      if (s != null && --s.users == 0) {
        HELD.remove(file);
        close(s.channel);
        HELD.notifyAll();
      }
    }
  }

  /** Waits until no attached command (of this process or another) is reading the container's exit. */
  static void awaitNone(Path dir) {
    Path file = dir.resolve(FILE).toAbsolutePath().normalize();
    synchronized (HELD) {
      while (HELD.containsKey(file)) {
        try {
          HELD.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw EngineException.internal("interrupted");
        }
      }
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.lock().release();
      } catch (NoSuchFileException e) {
        // never attached, or removed
      } catch (IOException e) {
        throw new UncheckedIOException("cannot wait for the attached commands of " + dir, e);
      }
    }
  }

  private static void close(FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // nothing to lose
    }
  }
}
