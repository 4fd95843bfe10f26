package org.jocker.cli.format;

import java.io.PrintStream;
import org.jocker.images.BuildCachePruner;

/** Docker's "Deleted build cache objects:" block of `builder prune` and `system prune`. */
public final class BuildCacheLines {
  /** Docker shows build cache records by IDs of this length. */
  private static final int ID_LENGTH = 25;

  private BuildCacheLines() {}

  /** The removed records, one short ID a line, then a blank line; nothing when none was removed. */
  public static void printDeleted(BuildCachePruner.Report report, PrintStream out) {
    if (!report.removed().isEmpty()) {
      out.println("Deleted build cache objects:");
      report.removed().forEach(key -> out.println(key.substring(0, ID_LENGTH)));
      out.println();
    }
  }
}
