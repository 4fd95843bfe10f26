package org.jocker.kernel;

import java.nio.file.Path;

/**
 * An open file descriptor (close-on-exec) that its holder owns and closes. Its {@link #path} names
 * the open file itself: opening or listing it follows nothing but the descriptor, so a name swapped
 * meanwhile cannot redirect it.
 */
public final class Descriptor implements AutoCloseable {
  private final int number;
  private boolean closed;

  Descriptor(int number) {
    this.number = number;
  }

  /** open(2) of a host path the caller trusts (its symlinks are followed unless O_NOFOLLOW). */
  public static Descriptor open(Path path, int flags) {
    return new Descriptor(AtCalls.openat(AtCalls.AT_FDCWD, path.toString(), flags, 0, path.toString()));
  }

  public int number() {
    return number;
  }

  /** /proc/self/fd/N, for this process. */
  public Path path() {
    return Path.of("/proc/self/fd/" + number);
  }

  /**
   * /proc/PID/fd/N, for a program this process starts (as root), which has no such descriptor of
   * its own: it is not inherited, being close-on-exec.
   */
  public Path pathForChildren() {
    return Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + number);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      AtCalls.close(number);
    }
  }

  @Override
  public String toString() {
    return "fd " + number;
  }
}
