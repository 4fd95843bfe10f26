package org.jocker.build.executor;

import java.util.Locale;

/** Sizes as BuildKit's progress prints them (Go's units: 2B, 1.23kB, 4.5MB). */
final class Sizes {
  private Sizes() {}

  static String human(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    if (u == 0) {
      return bytes + "B";
    }
    String s = String.format(Locale.ROOT, "%.2f", v).replaceAll("\\.?0+$", "");
    return s + units[u];
  }
}
