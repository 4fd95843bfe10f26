package org.jocker.engine.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.jocker.engine.EngineException;
import org.jocker.kernel.LockFile;

/**
 * The engine's lock on one container (containers/ID/.lock), held while a start, stop, removal or
 * the cleanup after its exit decides and acts, so that these never interleave: e.g. a removal and
 * a restart by the policy. A kernel {@link LockFile}: a POSIX record lock for other processes and
 * an in-process entry for the threads of this one, released with its last user; reentrant, since
 * a cleanup holding it removes or starts the container through the same methods as the commands.
 */
public final class ContainerLock implements AutoCloseable {
  private static final String FILE = ".lock";
  private static final String RECORD = "container.json";

  private final LockFile.Held held;

  private ContainerLock(LockFile.Held held) {
    this.held = held;
  }

  /**
   * Waits for the lock of the container in {@code dir}; empty if the container does not exist (or
   * was removed while we waited), and then nothing is held.
   */
  public static Optional<ContainerLock> ifPresent(Path dir) {
    LockFile.Held held;
    try {
      held = LockFile.lock(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      return Optional.empty(); // the container's directory is gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + dir, e);
    }
    if (!Files.exists(dir.resolve(RECORD))) {
      held.close();
      return Optional.empty();
    }
    return Optional.of(new ContainerLock(held));
  }

  /** How many lock files have an in-process entry (for tests: none once every lock is closed). */
  static int tracked() {
    return LockFile.tracked();
  }

  /** Like {@link #ifPresent}, failing with Docker's "No such container". */
  public static ContainerLock of(Path dir, String idOrName) {
    return ifPresent(dir).orElseThrow(() -> EngineException.notFound("No such container: " + idOrName));
  }

  @Override
  public void close() {
    held.close();
  }
}
