package org.jocker.runtime.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jocker.kernel.FileTrees;

/** Removal of a directory tree that may already be (partly) gone, failing unchecked. */
public final class Directories {
  private Directories() {}

  /**
   * Deletes dir and everything under it ({@link FileTrees#delete}: links are not followed, a mount
   * inside is refused); a missing dir is fine.
   */
  public static void deleteRecursively(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
