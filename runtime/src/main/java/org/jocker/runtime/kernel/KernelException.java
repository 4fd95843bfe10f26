package org.jocker.runtime.kernel;

import org.jocker.runtime.OciRuntimeException;

/** A system call failed; carries the call and errno. */
public final class KernelException extends OciRuntimeException {
  private final int errno;

  public KernelException(String call, int errno) {
    super(call + ": " + Errno.describe(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
