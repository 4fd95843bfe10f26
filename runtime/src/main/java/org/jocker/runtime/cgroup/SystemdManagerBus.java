package org.jocker.runtime.cgroup;

import java.util.List;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;

/** The part of systemd's D-Bus API (org.freedesktop.systemd1.Manager) the systemd driver calls. */
@DBusInterfaceName("org.freedesktop.systemd1.Manager")
interface SystemdManagerBus extends DBusInterface {
  DBusPath StartTransientUnit(String name, String mode, List<UnitProperty> properties, List<AuxUnit> aux);

  void SetUnitProperties(String name, boolean runtime, List<UnitProperty> properties);

  DBusPath StopUnit(String name, String mode);

  void ResetFailedUnit(String name);

  /** One unit property, D-Bus type (sv). */
  final class UnitProperty extends Struct {
    @Position(0)
    public final String name;

    @Position(1)
    public final Variant<?> value;

    UnitProperty(String name, Variant<?> value) {
      this.name = name;
      this.value = value;
    }
  }

  /** An auxiliary unit started with the transient one, D-Bus type (sa(sv)); the driver sends none. */
  final class AuxUnit extends Struct {
    @Position(0)
    public final String name;

    @Position(1)
    public final List<UnitProperty> properties;

    AuxUnit(String name, List<UnitProperty> properties) {
      this.name = name;
      this.properties = properties;
    }
  }
}
