package org.jocker.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.state.ContainerRecord;

/** Finds a container's cgroup; the host's cgroup mounts are read once, on first use. */
final class ContainerCgroups {
  private CgroupLayout layout;

  /** With a given layout (tests: this host seen as one without some hierarchy); null detects it. */
  ContainerCgroups(CgroupLayout layout) {
    this.layout = layout;
  }

  CgroupManager of(ContainerRecord r) {
    return of(r.cgroupsPath(), r.id());
  }

  /** The host's cgroup mounts do not change under a running host, so they are not read again. */
  CgroupManager of(String cgroupsPath, String id) {
    if (layout == null) {
      layout = CgroupLayout.detect();
    }
    return Cgroups.forContainer(layout, cgroupsPath, id);
  }

  /** The cgroup's directories by hierarchy name ("unified", or v1 controllers like "cpu,cpuacct"). */
  static Map<String, Path> directoriesByName(CgroupManager cgroup) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    cgroup.directories().forEach((hierarchy, d) -> dirs.put(hierarchy.name(), d));
    return dirs;
  }
}
