package org.jocker.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits OCI mount options into mount(2) flags, propagation flags and the filesystem's data string,
 * the way runc reads them.
 */
public record MountOptions(long flags, long propagation, boolean bind, String data) {
  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_NOEXEC = 8;
  public static final long MS_SYNCHRONOUS = 16;
  public static final long MS_REMOUNT = 32;
  public static final long MS_MANDLOCK = 64;
  public static final long MS_DIRSYNC = 128;
  public static final long MS_NOATIME = 1024;
  public static final long MS_NODIRATIME = 2048;
  public static final long MS_BIND = 4096;
  public static final long MS_REC = 16384;
  public static final long MS_UNBINDABLE = 1 << 17;
  public static final long MS_PRIVATE = 1 << 18;
  public static final long MS_SLAVE = 1 << 19;
  public static final long MS_SHARED = 1 << 20;
  public static final long MS_RELATIME = 1 << 21;
  public static final long MS_STRICTATIME = 1 << 24;

  /** option -> {flag, 1 to set or 0 to clear}. */
  private static final Map<String, long[]> FLAGS = Map.ofEntries(
      Map.entry("ro", new long[] {MS_RDONLY, 1}), Map.entry("rw", new long[] {MS_RDONLY, 0}),
      Map.entry("nosuid", new long[] {MS_NOSUID, 1}), Map.entry("suid", new long[] {MS_NOSUID, 0}),
      Map.entry("nodev", new long[] {MS_NODEV, 1}), Map.entry("dev", new long[] {MS_NODEV, 0}),
      Map.entry("noexec", new long[] {MS_NOEXEC, 1}), Map.entry("exec", new long[] {MS_NOEXEC, 0}),
      Map.entry("sync", new long[] {MS_SYNCHRONOUS, 1}), Map.entry("async", new long[] {MS_SYNCHRONOUS, 0}),
      Map.entry("dirsync", new long[] {MS_DIRSYNC, 1}),
      Map.entry("remount", new long[] {MS_REMOUNT, 1}),
      Map.entry("mand", new long[] {MS_MANDLOCK, 1}), Map.entry("nomand", new long[] {MS_MANDLOCK, 0}),
      Map.entry("noatime", new long[] {MS_NOATIME, 1}), Map.entry("atime", new long[] {MS_NOATIME, 0}),
      Map.entry("nodiratime", new long[] {MS_NODIRATIME, 1}),
      Map.entry("diratime", new long[] {MS_NODIRATIME, 0}),
      Map.entry("relatime", new long[] {MS_RELATIME, 1}), Map.entry("norelatime", new long[] {MS_RELATIME, 0}),
      Map.entry("strictatime", new long[] {MS_STRICTATIME, 1}),
      Map.entry("nostrictatime", new long[] {MS_STRICTATIME, 0}),
      Map.entry("bind", new long[] {MS_BIND, 1}), Map.entry("rbind", new long[] {MS_BIND | MS_REC, 1}));

  public static final Map<String, Long> PROPAGATION = Map.of(
      "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
      "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
      "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
      "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

  /** Options that only mean something to other runtimes' extensions; ignored as runc does. */
  private static final List<String> IGNORED = List.of("tmpcopyup", "idmap", "ridmap", "copy-symlink");

  public static MountOptions parse(String type, List<String> options) {
    long flags = 0;
    long propagation = 0;
    List<String> data = new ArrayList<>();
    for (String option : options) {
      long[] f = FLAGS.get(option);
      Long p = PROPAGATION.get(option);
      if (f != null) {
        flags = f[1] == 1 ? flags | f[0] : flags & ~f[0];
      } else if (p != null) {
        propagation |= p;
      } else if (!IGNORED.contains(option)) {
        data.add(option);
      }
    }
    boolean bind = (flags & MS_BIND) != 0 || "bind".equals(type) || "rbind".equals(type);
    if ("rbind".equals(type)) {
      flags |= MS_BIND | MS_REC;
    }
    return new MountOptions(flags, propagation, bind, String.join(",", data));
  }
}
