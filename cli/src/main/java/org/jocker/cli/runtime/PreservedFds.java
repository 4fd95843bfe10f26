package org.jocker.cli.runtime;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jocker.cli.session.Session;
import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.launch.Stdio;

/** runc's --preserve-fds N: the caller's descriptors 3 to 3 + N - 1 go to the container's process too. */
final class PreservedFds {
  private PreservedFds() {}

  /** Our stdio and the N descriptors, each checked to be open (as runc does); N <= 0 passes none, as runc. */
  static Stdio stdio(int n) {
    for (int i = 0; i < n; i++) {
      Path fd = Path.of("/proc/" + Session.current().pid() + "/fd/" + (3 + i));
      if (!Files.exists(fd, LinkOption.NOFOLLOW_LINKS)) {
        throw new OciRuntimeException("unable to stat preserved-fd " + i + " (of " + n + "): " + fd
            + ": no such file or directory");
      }
    }
    return Stdio.inheritWith(Math.max(0, n));
  }
}
