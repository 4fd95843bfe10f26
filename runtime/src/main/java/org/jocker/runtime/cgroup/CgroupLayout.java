package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jocker.kernel.Mount;
import org.jocker.kernel.MountInfo;

/**
 * Which hierarchy each controller lives on. Hosts may be pure v1, pure v2 or hybrid (v1 controllers
 * plus a cgroup2 mount holding the rest), so the choice is made per controller: a controller bound
 * to a v1 hierarchy is driven there, otherwise through the cgroup2 mount if it lists it.
 *
 * @param hierarchies the mounted hierarchies in mountinfo order (v1 ones, then the unified one)
 */
public record CgroupLayout(List<Hierarchy> hierarchies) {

  /** v1 subsystem names; other mount options (rw, noprefix, name=..., xattr) are not controllers. */
  private static final Set<String> V1_CONTROLLERS =
      Set.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
          "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "misc");

  public CgroupLayout {
    hierarchies = List.copyOf(hierarchies);
  }

  /** The layout of the running host. */
  public static CgroupLayout detect() {
    try {
      return parse(
          Files.readString(Path.of("/proc/self/mountinfo")),
          Files.readString(Path.of("/proc/self/cgroup")),
          Path.of("/"));
    } catch (IOException e) {
      throw new CgroupException("cgroup: cannot read /proc/self/mountinfo or /proc/self/cgroup: "
          + CgroupDir.reason(e), e);
    }
  }

  /**
   * Builds the layout from mountinfo text and /proc/self/cgroup text. Mount points are taken
   * relative to {@code fsRoot} ("/" on a real host, a temp dir in tests), and the cgroup2 mount's
   * controllers are read from its cgroup.controllers file there.
   */
  public static CgroupLayout parse(String mountinfo, String selfCgroup, Path fsRoot) {
    Map<String, String> ownByController = new HashMap<>();
    String ownUnified = "/";
    for (String line : selfCgroup.split("\n")) {
      String[] parts = line.split(":", 3);
      if (parts.length < 3) {
        continue;
      }
      if (parts[0].equals("0") && parts[1].isEmpty()) {
        ownUnified = parts[2];
      } else {
        for (String c : parts[1].split(",")) {
          ownByController.put(c, parts[2]);
        }
      }
    }

    List<Hierarchy> v1 = new ArrayList<>();
    Hierarchy unified = null;
    Set<String> claimed = new LinkedHashSet<>();
    for (Mount m : MountInfo.parse(mountinfo)) {
      Path mountPoint = fsRoot.resolve(m.mountPoint().substring(1));
      if (m.fsType().equals("cgroup")) {
        Set<String> controllers = new LinkedHashSet<>();
        for (String opt : m.superOptions().split(",")) {
          if (V1_CONTROLLERS.contains(opt) && !claimed.contains(opt)) {
            controllers.add(opt);
          }
        }
        if (!controllers.isEmpty()) { // skips name=systemd and repeated (bind) mounts
          claimed.addAll(controllers);
          String own = ownByController.getOrDefault(controllers.iterator().next(), "/");
          v1.add(new Hierarchy(mountPoint, m.root(), false, controllers, own));
        }
      } else if (m.fsType().equals("cgroup2") && unified == null) {
        unified = new Hierarchy(mountPoint, m.root(), true, readControllers(mountPoint), ownUnified);
      }
    }
    List<Hierarchy> all = new ArrayList<>(v1);
    if (unified != null) {
      all.add(unified);
    }
    return new CgroupLayout(all);
  }

  /** The hierarchy driving this controller: its v1 mount if any, else the cgroup2 mount. */
  public Optional<Hierarchy> hierarchyFor(String controller) {
    for (Hierarchy h : hierarchies) {
      if (!h.unified() && h.controllers().contains(controller)) {
        return Optional.of(h);
      }
    }
    return unified().filter(u -> u.controllers().contains(controller));
  }

  public Optional<Hierarchy> unified() {
    return hierarchies.stream().filter(Hierarchy::unified).findFirst();
  }

  private static Set<String> readControllers(Path mountPoint) {
    try {
      String text = Files.readString(mountPoint.resolve("cgroup.controllers")).trim();
      return text.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(text.split("\\s+")));
    } catch (IOException e) {
      return Set.of(); // an unreadable cgroup2 mount still works for membership and freezing
    }
  }
}
