package org.jocker.runtime.seccomp;

import java.util.List;

/** Parses {@code linux.seccomp.flags} into the {@code SECCOMP_FILTER_FLAG_*} bitmask for seccomp(2). */
public final class SeccompFlags {
  public static final int TSYNC = 1;
  public static final int LOG = 1 << 1;
  public static final int SPEC_ALLOW = 1 << 2;
  /** seccomp(2) returns the listener of the filter's SCMP_ACT_NOTIFY calls: set for such profiles. */
  public static final int NEW_LISTENER = 1 << 3;

  private SeccompFlags() {}

  /**
   * The flags runc accepts. NEW_LISTENER is not one a profile names: it comes with SCMP_ACT_NOTIFY
   * rules ({@link SeccompPolicy}).
   */
  public static int parse(List<String> flags) {
    if (flags == null) return 0;
    int mask = 0;
    for (int i = 0; i < flags.size(); i++) {
      String flag = flags.get(i);
      mask |= switch (flag == null ? "" : flag) {
        case "SECCOMP_FILTER_FLAG_TSYNC" -> TSYNC;
        case "SECCOMP_FILTER_FLAG_LOG" -> LOG;
        case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> SPEC_ALLOW;
        default ->
            throw new SeccompException(
                "linux.seccomp.flags[" + i + "]: unsupported flag \"" + flag + "\"");
      };
    }
    return mask;
  }
}
