package org.jocker.runtime.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * One mounted cgroup hierarchy.
 *
 * @param mountPoint where it is mounted (already placed under the layout's filesystem root)
 * @param mountRoot the hierarchy path that is mounted there ("/" except inside some containers)
 * @param unified true for cgroup2, false for a v1 hierarchy
 * @param controllers the controllers bound to it (v1: from the mount options; v2: cgroup.controllers)
 * @param ownCgroup this process's cgroup in the hierarchy, from /proc/self/cgroup ("/" if unknown)
 */
public record Hierarchy(
    Path mountPoint, String mountRoot, boolean unified, Set<String> controllers, String ownCgroup) {

  public Hierarchy {
    controllers = Set.copyOf(controllers);
  }

  /** A name for messages: "unified" or the v1 controller list, like "cpu,cpuacct". */
  public String name() {
    return unified ? "unified" : String.join(",", controllers.stream().sorted().toList());
  }

  /**
   * This process's own cgroup directory, which runc uses as the base of a relative cgroupsPath. When
   * only part of the hierarchy is mounted, the mount root is stripped from the path.
   */
  public Path ownDir() {
    String own = ownCgroup;
    if (!mountRoot.equals("/") && (own.equals(mountRoot) || own.startsWith(mountRoot + "/"))) {
      own = own.substring(mountRoot.length());
    }
    return own.isEmpty() || own.equals("/") ? mountPoint : mountPoint.resolve(own.substring(1));
  }
}
