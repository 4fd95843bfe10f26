package org.jocker.build.progress;

import java.io.PrintStream;
import java.util.List;

/**
 * How BuildKit ends a failed build, whatever the display: the failed step's last output lines
 * between rules, the Dockerfile lines around it, then {@code ERROR: failed to solve: ...}.
 */
final class FailureBlock {
  /** How many of a failed step's last output lines the block repeats, as BuildKit does. */
  static final int TAIL = 6;

  private FailureBlock() {}

  static void print(PrintStream out, String message, BuildProgress.FailedAt where, List<String> tail) {
    if (where != null) {
      if (where.step() != null) {
        out.println("------");
        out.println(" > " + where.step() + ":");
        tail.forEach(out::println);
        out.println("------");
      }
      DockerfileExcerpt.print(out, where);
    }
    out.println("ERROR: failed to solve: " + message);
    out.flush();
  }
}
