package org.jocker.images.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.jocker.kernel.ProcessStamp;

/**
 * Names of ingest temp files: {@code <pid>-<start>-<random><suffix>}. The writer's stamp
 * ({@link ProcessStamp}) lets opening a store delete the leftovers of a crashed writer and keep
 * a live writer's work.
 */
final class IngestFile {
  private IngestFile() {}

  static Path create(Path ingestDir) throws IOException {
    return create(ingestDir, ".part");
  }

  /** A file owned by this process, named so that {@link #isStale} can tell once it is gone. */
  static Path create(Path dir, String suffix) throws IOException {
    String name = ProcessStamp.current() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + suffix;
    return Files.createFile(dir.resolve(name));
  }

  /** True when the writer of {@code file} is gone, or the name is not one we give. */
  static boolean isStale(Path file) {
    String name = file.getFileName().toString();
    int random = name.lastIndexOf('-');
    if (random < 0 || !(name.endsWith(".part") || name.endsWith(".lease"))) {
      return true;
    }
    return ProcessStamp.isGone(name.substring(0, random));
  }
}
