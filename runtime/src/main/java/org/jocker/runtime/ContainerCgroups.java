package org.jocker.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.CgroupManager;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.cgroup.SystemdScope;
import org.jocker.runtime.state.ContainerRecord;

/** Finds a container's cgroup; the host's cgroup mounts are read once, on first use. */
final class ContainerCgroups {
  private CgroupLayout layout;
  private final CgroupDriver driver;

  /** With a given layout (tests: this host seen as one without some hierarchy); null detects it. */
  ContainerCgroups(CgroupLayout layout, CgroupDriver driver) {
    this.layout = layout;
    this.driver = driver;
  }

  /** An existing container's: its record's cgroupsPath says which driver made it. */
  CgroupManager of(ContainerRecord r) {
    String path = r.cgroupsPath();
    return SystemdScope.isSystemdForm(path)
        ? Cgroups.systemdScope(layout(), path, r.id())
        : Cgroups.forContainer(layout(), path, r.id());
  }

  /** A new container's, made by this runtime's driver. */
  CgroupManager of(String cgroupsPath, String id) {
    return driver == CgroupDriver.SYSTEMD
        ? Cgroups.systemdScope(layout(), cgroupsPath, id)
        : Cgroups.forContainer(layout(), cgroupsPath, id);
  }

  /**
   * The cgroupsPath a new container's record keeps: the spec's, or with the systemd driver the
   * scope it defaults to, so that the record alone names the scope (and so the driver).
   */
  String recordedPath(String cgroupsPath, String id) {
    return driver == CgroupDriver.SYSTEMD ? SystemdScope.of(cgroupsPath, id).cgroupsPath() : cgroupsPath;
  }

  /**
   * Where systemd runs, the monitor of a new cgroupfs container goes to a scope of its own (the
   * systemd driver does it as it makes the container's scope), so that stopping the unit that
   * started it does not kill it.
   */
  void separateMonitor(CgroupManager cgroup, String id, long monitorPid) {
    if (!cgroup.madeWithFirstProcess()) {
      Cgroups.separateMonitor(id, monitorPid);
    }
  }

  /** The host's cgroup mounts do not change under a running host, so they are not read again. */
  private CgroupLayout layout() {
    if (layout == null) {
      layout = CgroupLayout.detect();
    }
    return layout;
  }

  /** The cgroup's directories by hierarchy name ("unified", or v1 controllers like "cpu,cpuacct"). */
  static Map<String, Path> directoriesByName(CgroupManager cgroup) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    cgroup.directories().forEach((hierarchy, d) -> dirs.put(hierarchy.name(), d));
    return dirs;
  }
}
