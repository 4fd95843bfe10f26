package org.jocker.images.layer;

import java.nio.ByteBuffer;

/**
 * A regular file just created by {@link FileSystemCalls#createFile}, open for writing. Its content
 * and metadata are set through its descriptor, so no call walks the path again. Failures throw
 * {@link FileSystemCallException} naming the call and the path.
 */
public interface NewFile extends AutoCloseable {
  /** write(2) of all of {@code data}'s remaining bytes; {@code data} must be a direct buffer. */
  void write(ByteBuffer data);

  /** fchown(2). */
  void setOwner(int uid, int gid);

  /** fchmod(2) with all 12 permission bits (setuid, setgid, sticky). */
  void setMode(int mode);

  /** fsetxattr(2). */
  void setXattr(String name, byte[] value);

  /** futimens(2). */
  void setTimes(long accessEpochNanos, long modifyEpochNanos);

  /** close(2). */
  @Override
  void close();
}
