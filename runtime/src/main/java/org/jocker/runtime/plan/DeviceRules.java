package org.jocker.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Set;
import org.jocker.runtime.spec.Spec;

/**
 * The device cgroup rules a container gets, as runc 1.1 makes them: the spec's, then access to the
 * default devices (/dev/null, zero, full, random, urandom, tty) and to ptys and the console, and
 * mknod of any device. Without these, a spec that denies all devices (the usual first rule) would
 * make /dev/null unusable. A device of `linux.devices` is only created: access to it takes a rule
 * of the spec's own (what engines write with it, e.g. Docker's `--device /dev/x:r`), and a default
 * device the spec redefines loses its automatic rule (runc's bats "device cgroup deny").
 */
public final class DeviceRules {
  private static final List<Spec.DeviceRule> ALWAYS_ALLOWED = List.of(
      allow("c", null, null, "m"), allow("b", null, null, "m"), // mknod, not access
      allow("c", 136L, null, "rwm"), // /dev/pts/*
      allow("c", 5L, 2L, "rwm"), // /dev/ptmx
      allow("c", 5L, 1L, "rwm")); // /dev/console

  private DeviceRules() {}

  /** The spec's resources with the device rules completed; null stays null. */
  public static Spec.Resources complete(Spec spec) {
    Spec.Resources r = spec.linux() == null ? null : spec.linux().resources();
    if (r == null) {
      return null;
    }
    List<Spec.DeviceRule> rules = new ArrayList<>(r.devices() == null ? List.of() : r.devices());
    rules.addAll(ALWAYS_ALLOWED);
    Set<String> redefined = new HashSet<>();
    if (spec.linux().devices() != null) {
      spec.linux().devices().forEach(d -> redefined.add(d.path()));
    }
    for (Spec.Device d : LaunchPlan.defaultDevices()) {
      if (!redefined.contains(d.path())) {
        rules.add(allow(d.type(), d.major(), d.minor(), "rwm"));
      }
    }
    return r.withDevices(rules);
  }

  private static Spec.DeviceRule allow(String type, Long major, Long minor, String access) {
    return new Spec.DeviceRule(true, type, major, minor, access);
  }
}
