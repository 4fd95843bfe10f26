package org.jocker.kernel;

/**
 * A system call failed; carries the call and errno, and the path it was called on when there is
 * one. Its message is one line for the user (the call, what it was called on, and strerror's text).
 */
public final class KernelException extends RuntimeException {
  private final int errno;
  private final String path;

  public KernelException(String call, int errno) {
    super(call + ": " + Errno.describe(errno));
    this.errno = errno;
    this.path = null;
  }

  /** A call on {@code path}, which the message names after the call. */
  public KernelException(String call, String path, int errno) {
    super(call + " " + path + ": " + Errno.describe(errno));
    this.errno = errno;
    this.path = path;
  }

  public int errno() {
    return errno;
  }

  /** The path the call failed on (for a resolution, the component it stopped at), or null. */
  public String path() {
    return path;
  }
}
