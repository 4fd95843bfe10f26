package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.freedesktop.dbus.connections.impl.DirectConnection;
import org.freedesktop.dbus.connections.impl.DirectConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.jocker.runtime.cgroup.SystemdManagerBus.UnitProperty;

/**
 * systemd's manager, reached on its private socket /run/systemd/private: a peer-to-peer D-Bus
 * connection that only root may open and that needs no dbus-daemon (a minimal host, like the test
 * VM, has none). Jocker creates cgroups as root, so the system bus would add nothing. Each call
 * opens its own connection: the driver makes a few calls per container, and a kept connection
 * would be one more thing a long-lived engine must notice breaking when systemd re-executes.
 */
final class SystemdBus {
  static final Path PRIVATE_SOCKET = Path.of("/run/systemd/private");
  /** systemd's own test for "booted with systemd" (sd_booted): this directory exists. */
  static final Path RUNNING_MARKER = Path.of("/run/systemd/system");
  private static final String OBJECT = "/org/freedesktop/systemd1";

  /** Whether systemd is this host's init. */
  static boolean running() {
    return Files.isDirectory(RUNNING_MARKER);
  }

  /** Starts a transient unit (a scope here) with these properties; returns once the job is queued. */
  void startTransientUnit(String unit, List<UnitProperty> properties) {
    call("start " + unit, m -> m.StartTransientUnit(unit, "fail", properties, List.of()));
  }

  /** Sets properties of a running unit (runtime=true: until it stops, as runc update does). */
  void setUnitProperties(String unit, List<UnitProperty> properties) {
    call("set properties of " + unit, m -> {
      m.SetUnitProperties(unit, true, properties);
      return null;
    });
  }

  /** Stops a unit and forgets its failed state; a unit already gone is no error. */
  void stopAndForget(String unit) {
    try {
      call("stop " + unit, m -> m.StopUnit(unit, "replace"));
    } catch (CgroupException e) {
      if (!isNoSuchUnit(e)) {
        throw e;
      }
    }
    try {
      call("reset " + unit, m -> {
        m.ResetFailedUnit(unit);
        return null;
      });
    } catch (CgroupException e) {
      // not failed, or already unloaded: nothing to forget
    }
  }

  private static boolean isNoSuchUnit(CgroupException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("NoSuchUnit") || m.contains("not loaded");
  }

  private interface Call<T> {
    T on(SystemdManagerBus manager);
  }

  /** Fails with one clear line where systemd is not this host's init. */
  static void checkRunning() {
    if (!running()) {
      throw new CgroupException("cgroup: the systemd cgroup driver needs systemd, which is not running"
          + " on this host (" + RUNNING_MARKER + " is missing); use the cgroupfs driver");
    }
  }

  private static <T> T call(String what, Call<T> call) {
    checkRunning();
    try (DirectConnection c = DirectConnectionBuilder.forAddress("unix:path=" + PRIVATE_SOCKET).build()) {
      return call.on(c.getRemoteObject(OBJECT, SystemdManagerBus.class));
    } catch (DBusExecutionException e) {
      throw new CgroupException("cgroup: systemd: cannot " + what + ": " + describe(e), e);
    } catch (DBusException | IOException e) {
      throw new CgroupException("cgroup: systemd: cannot " + what + ": cannot talk to systemd on "
          + PRIVATE_SOCKET + ": " + e.getMessage(), e);
    }
  }

  private static String describe(DBusExecutionException e) {
    String type = e.getType();
    return type == null ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + type + ")";
  }
}
