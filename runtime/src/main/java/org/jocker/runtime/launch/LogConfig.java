package org.jocker.runtime.launch;

import java.nio.file.Path;

/**
 * The container's stdout and stderr go to a log in Docker's json-file format, written by the
 * monitor, instead of to the descriptors of {@link Stdio}.
 *
 * @param path the current file; rotated ones are path.1 (newest) to path.(maxFiles - 1); null
 *     for no file (the output goes to attach clients only)
 * @param maxSize bytes a file may reach before it is rotated; 0 for no limit
 * @param maxFiles how many files are kept, the current one included (at least 1)
 */
public record LogConfig(Path path, long maxSize, int maxFiles) {
  /** The engine's default: 10 MB × 3 (Docker's own default is unbounded). */
  public static LogConfig defaults(Path path) {
    return new LogConfig(path, 10_000_000L, 3);
  }

  /** Output read by the monitor (for attach clients) but kept nowhere: Docker's none driver. */
  public static LogConfig discard() {
    return new LogConfig(null, 0, 1);
  }

  public LogConfig {
    if (maxSize < 0 || maxFiles < 1) {
      throw new IllegalArgumentException("log: max size must be >= 0 and max files >= 1");
    }
  }
}
