package org.jocker.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits OCI mount options into mount(2) flags, propagation flags, recursive mount attributes
 * (runc's "rro", "rnosuid"...: mount_setattr(2) with AT_RECURSIVE, so submounts get them too) and
 * the filesystem's data string, the way runc reads them.
 */
public record MountOptions(long flags, long propagation, boolean bind, String data,
    RecursiveAttributes recursive) {
  /** mount_setattr(2) attributes to set and clear on a mount and every mount under it. */
  public record RecursiveAttributes(long set, long clear) {
    public static final RecursiveAttributes NONE = new RecursiveAttributes(0, 0);

    public boolean any() {
      return set != 0 || clear != 0;
    }
  }

  public MountOptions(long flags, long propagation, boolean bind, String data) {
    this(flags, propagation, bind, data, RecursiveAttributes.NONE);
  }

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

  public static final long MOUNT_ATTR_RDONLY = 0x1;
  public static final long MOUNT_ATTR_NOSUID = 0x2;
  public static final long MOUNT_ATTR_NODEV = 0x4;
  public static final long MOUNT_ATTR_NOEXEC = 0x8;
  public static final long MOUNT_ATTR_ATIME_MASK = 0x70;
  public static final long MOUNT_ATTR_RELATIME = 0;
  public static final long MOUNT_ATTR_NOATIME = 0x10;
  public static final long MOUNT_ATTR_STRICTATIME = 0x20;
  public static final long MOUNT_ATTR_NODIRATIME = 0x80;

  /** One of runc's recursive options: the name that sets an attribute and the one that clears it. */
  private record RecursiveOption(String setBy, String clearedBy, long attribute) {}

  private static final List<RecursiveOption> RECURSIVE = List.of(
      new RecursiveOption("rro", "rrw", MOUNT_ATTR_RDONLY),
      new RecursiveOption("rnosuid", "rsuid", MOUNT_ATTR_NOSUID),
      new RecursiveOption("rnodev", "rdev", MOUNT_ATTR_NODEV),
      new RecursiveOption("rnoexec", "rexec", MOUNT_ATTR_NOEXEC),
      new RecursiveOption("rnodiratime", "rdiratime", MOUNT_ATTR_NODIRATIME),
      new RecursiveOption("rrelatime", "rnorelatime", MOUNT_ATTR_RELATIME),
      new RecursiveOption("rnoatime", "ratime", MOUNT_ATTR_NOATIME),
      new RecursiveOption("rstrictatime", "rnostrictatime", MOUNT_ATTR_STRICTATIME));

  /** Options that only mean something to other runtimes' extensions; ignored as runc does. */
  private static final List<String> IGNORED = List.of("tmpcopyup", "idmap", "ridmap", "copy-symlink");

  public static MountOptions parse(String type, List<String> options) {
    long flags = 0;
    long propagation = 0;
    long recursiveSet = 0;
    long recursiveClear = 0;
    List<String> data = new ArrayList<>();
    for (String option : options) {
      long[] f = FLAGS.get(option);
      Long p = PROPAGATION.get(option);
      RecursiveOption r = RECURSIVE.stream()
          .filter(o -> o.setBy().equals(option) || o.clearedBy().equals(option)).findFirst().orElse(null);
      if (r != null && r.clearedBy().equals(option)) {
        recursiveClear |= r.attribute();
      } else if (r != null) {
        recursiveSet |= r.attribute();
        if ((r.attribute() & MOUNT_ATTR_ATIME_MASK) == r.attribute()) {
          recursiveClear |= MOUNT_ATTR_ATIME_MASK; // mount_setattr(2): an atime mode is set by clearing the field
        }
      } else if (f != null) {
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
    return new MountOptions(flags, propagation, bind, String.join(",", data),
        new RecursiveAttributes(recursiveSet, recursiveClear));
  }
}
