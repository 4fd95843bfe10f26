package org.jocker.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory that holds root's sockets, locks and state (the runtime's root, the engine's socket
 * directory): made 0700 if missing; an existing one must be root's and writable by root only, or
 * whoever else can write it could swap a container's directory or a socket for their own.
 * Docker, finding its root directory with another mode, chmods it; this refuses instead, because
 * the directory may be a shared one named on the command line (--root, JOCKER_ENGINE_SOCKET) whose
 * mode is not ours to change. The sockets themselves are 0600 and each monitor's sits in a 0700
 * directory of its own.
 */
public final class PrivateDirectory {
  private static final FileAttribute<?> PRIVATE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final int GROUP_OR_OTHERS_WRITE = 0022;

  private PrivateDirectory() {}

  /**
   * Returns {@code dir}, made if missing; {@code what} names it in the error.
   *
   * @throws UnsafeDirectoryException if it exists but is not root's alone (it is left as it is)
   * @throws UncheckedIOException if it cannot be made or looked at
   */
  public static Path require(Path dir, String what) {
    try {
      Files.createDirectories(dir, PRIVATE);
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      int mode = (Integer) Files.getAttribute(dir, "unix:mode");
      if (uid != 0 || (mode & GROUP_OR_OTHERS_WRITE) != 0) {
        throw new UnsafeDirectoryException(what, dir, uid, mode & 07777);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + what + " " + dir, e);
    }
  }
}
