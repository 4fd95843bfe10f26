package org.jocker.runtime.cgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * A container's systemd scope, from linux.cgroupsPath in runc's systemd form "slice:prefix:name":
 * the unit is "prefix-name.scope" (or "name.scope" without prefix) in the slice (system.slice when
 * empty). Its cgroup is the slice's path, where systemd nests "a-b.slice" under "a.slice", then the
 * unit: "system.slice:jocker:abc" is /system.slice/jocker-abc.scope in every hierarchy.
 *
 * @param slice the parent slice unit, like "system.slice"
 * @param prefix the unit name's prefix ("" for none)
 * @param name the container's part of the unit name
 */
public record SystemdScope(String slice, String prefix, String name) {
  public static final String DEFAULT_SLICE = "system.slice";
  /** The prefix of a scope made for a container whose spec names no cgroup. */
  public static final String DEFAULT_PREFIX = "jocker";

  /** Parses "slice:prefix:name"; null or empty means "system.slice:jocker:&lt;containerId&gt;". */
  public static SystemdScope of(String cgroupsPath, String containerId) {
    if (cgroupsPath == null || cgroupsPath.isEmpty()) {
      return new SystemdScope(DEFAULT_SLICE, DEFAULT_PREFIX, checkedName(containerId, "container id"));
    }
    String[] parts = cgroupsPath.split(":", -1);
    if (parts.length != 3) {
      throw new CgroupException("cgroup: linux.cgroupsPath \"" + cgroupsPath + "\" is not in the form"
          + " slice:prefix:name that the systemd cgroup driver takes (e.g. system.slice:jocker:" + containerId + ")");
    }
    if (parts[2].endsWith(".slice")) {
      throw new CgroupException("cgroup: linux.cgroupsPath \"" + cgroupsPath
          + "\": a container in a slice of its own is not supported; name a scope (slice:prefix:name)");
    }
    String slice = parts[0].isEmpty() ? DEFAULT_SLICE : parts[0];
    if (!slice.endsWith(".slice") || slice.contains("/")) {
      throw new CgroupException("cgroup: linux.cgroupsPath \"" + cgroupsPath + "\": \"" + slice
          + "\" is not a slice unit name (like system.slice or machine-jocker.slice)");
    }
    return new SystemdScope(slice, checkedPart(parts[1], cgroupsPath), checkedName(parts[2], cgroupsPath));
  }

  /** Whether a cgroupsPath is in the systemd form (what a container record tells its driver by). */
  public static boolean isSystemdForm(String cgroupsPath) {
    return cgroupsPath != null && cgroupsPath.contains(":");
  }

  private static String checkedName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new CgroupException("cgroup: " + what + ": the scope's name part is empty");
    }
    return checkedPart(name, what);
  }

  /** Unit names allow ASCII letters, digits and ":-_.\\"; a "/" would also leave the slice. */
  private static String checkedPart(String part, String what) {
    if (!part.matches("[A-Za-z0-9:_.\\\\-]*")) {
      throw new CgroupException("cgroup: " + what + ": \"" + part
          + "\" cannot be part of a systemd unit name (letters, digits, \":-_.\\\" only)");
    }
    return part;
  }

  /** The scope unit's name. */
  public String unit() {
    return (prefix.isEmpty() ? "" : prefix + "-") + name + ".scope";
  }

  /** The unit of the container's monitor, beside the container's in the same slice. */
  public String monitorUnit() {
    return (prefix.isEmpty() ? "" : prefix + "-") + "monitor-" + name + ".scope";
  }

  /** The form a container record keeps, so that later commands find the scope without options. */
  public String cgroupsPath() {
    return slice + ":" + prefix + ":" + name;
  }

  /** The cgroup's path from each hierarchy's root: the slice's nesting, then the unit. */
  CgroupPath cgroupPath() {
    List<String> names = new ArrayList<>();
    if (!slice.equals("-.slice")) {
      String base = slice.substring(0, slice.length() - ".slice".length());
      StringBuilder prefixSoFar = new StringBuilder();
      for (String part : base.split("-")) {
        if (part.isEmpty()) {
          throw new CgroupException("cgroup: \"" + slice + "\" is not a valid slice name (empty part between dashes)");
        }
        prefixSoFar.append(prefixSoFar.isEmpty() ? "" : "-").append(part);
        names.add(prefixSoFar + ".slice");
      }
    }
    names.add(unit());
    return new CgroupPath(true, names, 0);
  }
}
