package org.jocker.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file updates: a reader sees the old file or the new one, never a torn one, and
 * after return the new one survives a power loss (data fsynced, renamed, directory fsynced).
 * The temp file of a writer killed mid-write stays behind; its name,
 * {@code .<target>.<pid>-<start>-<random>.tmp}, carries the writer's {@link ProcessStamp} so
 * that {@link #removeDeadTemps} can delete it once that writer is gone, never a live one's.
 */
public final class Durable {
  private static final String TEMP_SUFFIX = ".tmp";

  private Durable() {}

  /**
   * Replaces {@code target} with {@code bytes}: temp file beside it, fsync, rename, fsync dir.
   * The directory must exist: a write never recreates a directory someone removed. Each writer
   * has its own temp file, so concurrent writers of one target leave one whole version.
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + "." + ProcessStamp.current() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + TEMP_SUFFIX);
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

  /**
   * Deletes the temp files in {@code dir} whose writers are gone (including temp names of an
   * older form, which carry no writer); returns how many. Other files are not touched.
   */
  public static int removeDeadTemps(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
      for (Path entry : entries) {
        if (writerIsGone(entry.getFileName().toString()) && Files.deleteIfExists(entry)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      syncDirectory(dir);
    }
    return removed;
  }

  // ".<target>.<pid>-<start>-<random>.tmp": the stamp is the last dot-separated part but its random tail.
  private static boolean writerIsGone(String tempName) {
    String base = tempName.substring(0, tempName.length() - TEMP_SUFFIX.length());
    String owner = base.substring(base.lastIndexOf('.') + 1);
    int random = owner.lastIndexOf('-');
    return random < 0 || ProcessStamp.isGone(owner.substring(0, random));
  }

  /** Same as {@link #write} for callers that cannot throw IOException. */
  public static void writeUnchecked(Path target, byte[] bytes) {
    try {
      write(target, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }
}
