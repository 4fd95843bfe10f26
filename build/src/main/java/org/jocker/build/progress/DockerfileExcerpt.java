package org.jocker.build.progress;

import java.io.PrintStream;
import java.util.List;

/**
 * The Dockerfile lines of a failed step with a few before them, as BuildKit shows them:
 * {@code Dockerfile:2}, then {@code   2 | >>> RUN exit 3} between rules.
 */
final class DockerfileExcerpt {
  private static final int CONTEXT = 4;

  private DockerfileExcerpt() {}

  static void print(PrintStream out, BuildProgress.FailedAt where) {
    List<String> lines = where.dockerfileText().lines().toList();
    int first = Math.max(1, where.firstLine() - CONTEXT);
    int last = Math.min(lines.size(), where.lastLine() + 1);
    out.println(where.file() + ":" + where.firstLine());
    out.println("--------------------");
    for (int n = first; n <= last; n++) {
      boolean failed = n >= where.firstLine() && n <= where.lastLine();
      out.printf("%4d | %s%s%n", n, failed ? ">>> " : "    ", lines.get(n - 1));
    }
    out.println("--------------------");
  }
}
