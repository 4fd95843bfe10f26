package org.jocker.images.layer;

import org.jocker.images.ImageException;
import org.jocker.kernel.Errno;

/**
 * A {@link FileSystemCalls} call failed; carries errno, so a caller can tell a kernel that lacks
 * what it asked for (EINVAL, ENOSYS) from a real failure.
 */
public final class FileSystemCallException extends ImageException {
  private final int errno;

  /** {@code call} names the call and what it was called on, as the message starts. */
  public FileSystemCallException(String call, int errno) {
    super(call + ": " + Errno.describe(errno));
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}
