package org.jocker.kernel;

/**
 * A system call failed; carries the call and errno. Its message is one line for the user (the
 * call, what it was called on, and strerror's text).
 */
public final class KernelException extends RuntimeException {
  private final int errno;

  public KernelException(String call, int errno) {
    super(call + ": " + Errno.describe(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
