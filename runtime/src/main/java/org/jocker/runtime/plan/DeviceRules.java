package org.jocker.runtime.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jocker.runtime.spec.Spec;

/**
 * The device cgroup rules a container gets: the spec's, then access to the devices it is given
 * (the defaults and linux.devices) and to its ptys, as runc appends them. Without these, a spec
 * that denies all devices (the usual first rule) would make /dev/null unusable. A device the spec
 * gives its own rule (Docker's `--device /dev/x:r`) keeps that rule's access. A fifo (type "p") is
 * no device to the cgroup and gets no rule; an unbuffered character device ("u") is ruled as "c".
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
    List<Spec.DeviceRule> own = List.copyOf(rules);
    List<Spec.Device> given = spec.linux().devices() == null ? List.of() : spec.linux().devices();
    for (Spec.Device d : LaunchPlan.devices(spec)) {
      if (d.type().equals("p")) {
        continue;
      }
      String type = d.type().equals("u") ? "c" : d.type();
      boolean ruled = given.contains(d) && own.stream().anyMatch(rule -> Boolean.TRUE.equals(rule.allow())
          && type.equals(rule.type()) && Objects.equals(d.major(), rule.major())
          && Objects.equals(d.minor(), rule.minor()));
      if (!ruled) {
        rules.add(allow(type, d.major(), d.minor(), "rwm"));
      }
    }
    return r.withDevices(rules);
  }

  private static Spec.DeviceRule allow(String type, Long major, Long minor, String access) {
    return new Spec.DeviceRule(true, type, major, minor, access);
  }
}
