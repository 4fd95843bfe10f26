package org.jocker.runtime.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated OCI linux.cgroupsPath. As in runc, an absolute path is relative to each hierarchy's
 * root and a relative path is relative to the runtime's own cgroup in that hierarchy.
 *
 * @param absolute whether the path started with "/"
 * @param components the path's names, without "." or empty ones
 * @param ownedParents how many of the leaf's ancestors belong to Jocker and may be removed once
 *     empty (1 for the default "/jocker/&lt;id&gt;", 0 for a path the user gave)
 */
public record CgroupPath(boolean absolute, List<String> components, int ownedParents) {

  public CgroupPath {
    components = List.copyOf(components);
  }

  /** Parses cgroupsPath; null or empty means "/jocker/&lt;containerId&gt;". */
  public static CgroupPath of(String cgroupsPath, String containerId) {
    if (cgroupsPath == null || cgroupsPath.isEmpty()) {
      if (containerId == null || containerId.isEmpty() || containerId.contains("/")
          || containerId.equals(".") || containerId.equals("..")) {
        throw new CgroupException(
            "cgroup: container id \"" + containerId + "\" cannot name a cgroup directory");
      }
      return new CgroupPath(true, List.of("jocker", containerId), 1);
    }
    if (cgroupsPath.contains(":")) {
      throw new CgroupException("cgroup: linux.cgroupsPath \"" + cgroupsPath
          + "\" is in systemd slice:prefix:name form, which the systemd cgroup driver takes"
          + " (runtime --systemd-cgroup, engine --cgroup-manager systemd); with cgroupfs use a path like /jocker/<id>");
    }
    List<String> names = new ArrayList<>();
    for (String name : cgroupsPath.split("/")) {
      if (name.equals("..")) {
        throw new CgroupException(
            "cgroup: linux.cgroupsPath \"" + cgroupsPath + "\" must not contain \"..\"");
      }
      if (!name.isEmpty() && !name.equals(".")) {
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      throw new CgroupException("cgroup: linux.cgroupsPath \"" + cgroupsPath
          + "\" names the root cgroup; a container needs its own cgroup");
    }
    return new CgroupPath(cgroupsPath.startsWith("/"), names, 0);
  }

  /** The container's directory in one hierarchy. */
  public Path leafIn(Hierarchy h) {
    Path dir = absolute ? h.mountPoint() : h.ownDir();
    for (String name : components) {
      dir = dir.resolve(name);
    }
    return dir;
  }

  @Override
  public String toString() {
    return (absolute ? "/" : "") + String.join("/", components);
  }
}
