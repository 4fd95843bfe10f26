package org.jocker.images.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Names of ingest temp files. A name carries its writer's pid and start time, so opening a
 * store can tell the leftovers of a crashed writer (delete) from a live writer's work (keep),
 * without file locks, which in Java are per process and dropped by any close of the file.
 */
final class IngestFile {
  private static final ProcessHandle SELF = ProcessHandle.current();

  private IngestFile() {}

  static Path create(Path ingestDir) throws IOException {
    return create(ingestDir, ".part");
  }

  /** A file owned by this process, named so that {@link #isStale} can tell once it is gone. */
  static Path create(Path dir, String suffix) throws IOException {
    String name = SELF.pid() + "-" + startMillis(SELF) + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + suffix;
    return Files.createFile(dir.resolve(name));
  }

  /** True when the writer of {@code file} is gone, or the name is not one we give. */
  static boolean isStale(Path file) {
    String[] parts = file.getFileName().toString().split("-", 3);
    if (parts.length != 3 || !(parts[2].endsWith(".part") || parts[2].endsWith(".lease"))) {
      return true;
    }
    try {
      long pid = Long.parseLong(parts[0]);
      long started = Long.parseLong(parts[1]);
      Optional<ProcessHandle> writer = ProcessHandle.of(pid);
      // A reused pid belongs to a process that started at another time.
      return writer.isEmpty() || startMillis(writer.get()) != started;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
