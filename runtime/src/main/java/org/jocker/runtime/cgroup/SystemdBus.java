package org.jocker.runtime.cgroup;

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
 * VM, has none). Jocker creates cgroups as root, so the system bus would add nothing. One
 * connection is kept per process (dbus-java's reader thread races a close: a connection closed
 * after each call printed its NullPointerException on stderr); a call that fails on the transport
 * (systemd re-executed, say) is retried once on a new connection.
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

  /** The kept connection; replaced when it has gone or a call failed on it. */
  private static DirectConnection connection;

  private static <T> T call(String what, Call<T> call) {
    checkRunning();
    try {
      try {
        return call.on(manager(false));
      } catch (DBusExecutionException e) {
        if (!isTransportError(e)) {
          throw e;
        }
        return call.on(manager(true));
      }
    } catch (DBusExecutionException e) {
      throw new CgroupException("cgroup: systemd: cannot " + what + ": " + describe(e), e);
    } catch (DBusException e) {
      throw new CgroupException("cgroup: systemd: cannot " + what + ": cannot talk to systemd on "
          + PRIVATE_SOCKET + ": " + e.getMessage(), e);
    }
  }

  private static synchronized SystemdManagerBus manager(boolean fresh) throws DBusException {
    if (fresh || connection == null || !connection.isConnected()) {
      // A broken one is dropped, not closed: closing is what races dbus-java's reader thread.
      connection = DirectConnectionBuilder.forAddress("unix:path=" + PRIVATE_SOCKET).build();
    }
    return connection.getRemoteObject(OBJECT, SystemdManagerBus.class);
  }

  /** D-Bus's own errors (no reply, disconnected) rather than systemd's answer to the call. */
  private static boolean isTransportError(DBusExecutionException e) {
    String type = e.getType();
    return type == null || type.startsWith("org.freedesktop.DBus.Error.NoReply")
        || type.startsWith("org.freedesktop.DBus.Error.Disconnected")
        || type.startsWith("org.freedesktop.dbus.exceptions.NotConnected");
  }

  private static String describe(DBusExecutionException e) {
    String type = e.getType();
    return type == null ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + type + ")";
  }
}
