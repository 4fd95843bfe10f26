package org.jocker.runtime;

import java.util.Locale;
import org.jocker.runtime.cgroup.Cgroups;

/**
 * Who makes a new container's cgroup: Jocker itself in the cgroup filesystem (cgroupfs), or systemd
 * as a transient scope unit (systemd), as runc's and podman's two cgroup managers. A container's
 * record keeps its cgroupsPath, whose form ("slice:prefix:name" or a path) tells later commands
 * which driver made it, whatever the driver they are given.
 */
public enum CgroupDriver {
  CGROUPFS,
  SYSTEMD;

  /** systemd where it is the host's init (/run/systemd/system exists), else cgroupfs. */
  public static CgroupDriver hostDefault() {
    return Cgroups.systemdRunning() ? SYSTEMD : CGROUPFS;
  }

  /** Whether systemd is this host's init, as sd_booted() tells. */
  public static boolean systemdRunning() {
    return Cgroups.systemdRunning();
  }

  /** "systemd" or "cgroupfs"; anything else is an error naming both. */
  public static CgroupDriver parse(String name) {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "systemd" -> SYSTEMD;
      case "cgroupfs" -> CGROUPFS;
      default -> throw new IllegalArgumentException(
          "unknown cgroup manager \"" + name + "\": use systemd or cgroupfs");
    };
  }

  /** The name options take. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
