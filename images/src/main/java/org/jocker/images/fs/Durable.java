package org.jocker.images.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file updates: a reader sees the old file or the new one, never a torn one, and
 * after return the new one survives a power loss (data fsynced, renamed, directory fsynced).
 */
public final class Durable {
  private Durable() {}

  /** Replaces {@code target} with {@code bytes}: temp file beside it, fsync, rename, fsync dir. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
        ch.force(true);
      }
      rename(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Atomically renames {@code from} over {@code to} and fsyncs the directory of {@code to}. */
  public static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + from + " atomically to " + to
          + " (both must be on one file system)", e);
    }
    syncDirectory(to.toAbsolutePath().getParent());
  }

  /** Makes a rename or unlink in {@code dir} durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse fsync on a directory; the rename itself is still atomic.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /** Same as {@link #write} for callers that cannot throw IOException. */
  public static void writeUnchecked(Path target, byte[] bytes) {
    try {
      write(target, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
