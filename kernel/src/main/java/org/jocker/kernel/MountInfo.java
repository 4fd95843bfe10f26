package org.jocker.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The mount table as the kernel shows it in /proc/self/mountinfo, parsed into {@link Mount}s. */
public final class MountInfo {
  private static final Path SELF = Path.of("/proc/self/mountinfo");

  private MountInfo() {}

  /** The mounts of mountinfo text, in its order; lines that are not mounts are skipped. */
  public static List<Mount> parse(String text) {
    return text.lines().map(Mount::parse).flatMap(Optional::stream).toList();
  }

  /** This process's mount table. */
  public static List<Mount> read() throws IOException {
    return parse(Files.readString(SELF));
  }

  /** Whether something is mounted on {@code dir} (false if the table cannot be read). */
  public static boolean isMountPoint(Path dir) {
    String path = dir.toAbsolutePath().normalize().toString();
    try {
      return read().stream().anyMatch(m -> m.mountPoint().equals(path));
    } catch (IOException e) {
      return false;
    }
  }
}
