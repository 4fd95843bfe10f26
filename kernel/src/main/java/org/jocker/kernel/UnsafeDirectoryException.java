package org.jocker.kernel;

import java.nio.file.Path;

/**
 * A directory meant to be root's alone ({@link PrivateDirectory}) is another user's, or others may
 * write it. The message is one line for the user: what the directory is, where, its owner and mode.
 */
public final class UnsafeDirectoryException extends RuntimeException {
  UnsafeDirectoryException(String what, Path dir, int uid, int mode) {
    super(what + " " + dir + " must be root's and writable by root only (it is uid " + uid + "'s, mode "
        + String.format("%04o", mode) + ")");
  }
}
