package org.jocker.runtime.cgroup;

/** Entry point: a {@link CgroupManager} for a container on this host. */
public final class Cgroups {
  private Cgroups() {}

  /**
   * The manager for a container, driving each controller through the hierarchy the running host
   * binds it to.
   *
   * @param cgroupsPath OCI linux.cgroupsPath: null/empty for "/jocker/&lt;containerId&gt;",
   *     absolute (from each hierarchy's root) or relative (to this process's own cgroup), as runc
   */
  public static CgroupManager forContainer(String cgroupsPath, String containerId) {
    return forContainer(CgroupLayout.detect(), cgroupsPath, containerId);
  }

  /** As {@link #forContainer(String, String)}, with a given layout (tests, fake trees). */
  public static CgroupManager forContainer(
      CgroupLayout layout, String cgroupsPath, String containerId) {
    CgroupPath path = CgroupPath.of(cgroupsPath, containerId);
    if (layout.hierarchies().isEmpty()) {
      throw new CgroupException("cgroup: no cgroup or cgroup2 filesystem is mounted"
          + " (see /proc/self/mountinfo); cannot place container " + containerId);
    }
    return new CgroupfsManager(Controllers.select(layout), path);
  }

  /**
   * The manager of a container whose cgroup is a systemd scope (the systemd driver).
   *
   * @param cgroupsPath OCI linux.cgroupsPath in runc's systemd form "slice:prefix:name", or
   *     null/empty for "system.slice:jocker:&lt;containerId&gt;"
   */
  public static CgroupManager systemdScope(CgroupLayout layout, String cgroupsPath, String containerId) {
    SystemdScope scope = SystemdScope.of(cgroupsPath, containerId);
    if (layout.hierarchies().isEmpty()) {
      throw new CgroupException("cgroup: no cgroup or cgroup2 filesystem is mounted"
          + " (see /proc/self/mountinfo); cannot place container " + containerId);
    }
    return new SystemdCgroupManager(scope, layout, new SystemdBus());
  }

  /**
   * Puts the monitor of a container made with the cgroupfs driver in a systemd scope of its own,
   * "jocker-monitor-ID.scope", where systemd runs: a unit stopped with KillMode=control-group (an
   * engine's service restarting) kills everything in its cgroup, monitors included, and systemd is
   * the only manager known to stop units that way. Without systemd the monitor stays where it is.
   * (The systemd driver makes the monitor's scope itself, with the container's.)
   */
  public static void separateMonitor(String containerId, long monitorPid) {
    if (!SystemdBus.running()) {
      return;
    }
    SystemdScope named = SystemdScope.of(null, containerId);
    String unit = named.monitorUnit();
    new SystemdBus().startTransientUnit(unit,
        ScopeProperties.forMonitor(named.slice(), "jocker monitor of " + containerId, monitorPid));
    SystemdCgroupManager.awaitIn(monitorPid, unit);
  }

  /** Whether systemd is this host's init (/run/systemd/system exists), as sd_booted() tells. */
  public static boolean systemdRunning() {
    return SystemdBus.running();
  }
}
