package org.jocker.runtime.launch;

/**
 * The descriptors that become the container's stdin, stdout and stderr; -1 inherits the
 * {@link LauncherParent launcher's parent}'s.
 *
 * @param preservedFds how many of the launcher's parent's descriptors from 3 on the container's
 *     process also gets, as its 3, 4...: runc's --preserve-fds (every other descriptor is closed in it)
 */
public record Stdio(int in, int out, int err, int preservedFds) {
  public static final Stdio INHERIT = new Stdio(-1, -1, -1);

  public Stdio(int in, int out, int err) {
    this(in, out, err, 0);
  }

  public Stdio {
    if (preservedFds < 0) {
      throw new IllegalArgumentException("preservedFds must not be negative: " + preservedFds);
    }
  }

  /** The parent's stdio, and its descriptors 3 to 3 + preservedFds - 1. */
  public static Stdio inheritWith(int preservedFds) {
    return new Stdio(-1, -1, -1, preservedFds);
  }
}
