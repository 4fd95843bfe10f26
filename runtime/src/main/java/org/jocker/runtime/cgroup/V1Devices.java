package org.jocker.runtime.cgroup;

import java.util.List;
import org.jocker.runtime.spec.Spec;

/** cgroup v1 devices: deny everything, then replay the OCI rules in order. */
final class V1Devices extends DevicesController {
  @Override
  void enforce(CgroupDir dir, List<Spec.DeviceRule> rules) {
    dir.write("devices.deny", "a");
    for (Spec.DeviceRule rule : rules) {
      boolean allow = Boolean.TRUE.equals(rule.allow());
      if (!allow) {
        rule = withKnownAccess(rule);
        if (rule == null) {
          continue;
        }
      }
      dir.write(allow ? "devices.allow" : "devices.deny", line(rule));
    }
  }

  /**
   * A deny rule's access without the letters that are not r, w or m, or null if none is left: runc's
   * v1 driver ignores them (runc's bats deny "rwa"), where the kernel would refuse the whole rule.
   * Dropping them never grants anything; an allow rule with such letters is still refused.
   */
  private static Spec.DeviceRule withKnownAccess(Spec.DeviceRule rule) {
    if (rule.access() == null || rule.access().isEmpty()) {
      return rule;
    }
    String known = rule.access().replaceAll("[^rwm]", "");
    return known.isEmpty() ? null : new Spec.DeviceRule(rule.allow(), rule.type(), rule.major(), rule.minor(), known);
  }

  /** "type major:minor access", e.g. "c 1:3 rwm"; absent fields mean all ("a", "*", "rwm"). */
  static String line(Spec.DeviceRule rule) {
    String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
    if (!type.matches("[abc]")) {
      throw new CgroupException("cgroup devices: rule type \"" + type + "\" is not a, b or c");
    }
    String access = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
    if (!access.matches("[rwm]{1,3}")) {
      throw new CgroupException("cgroup devices: rule access \"" + access + "\" is not made of r, w, m");
    }
    return type + " " + number(rule.major()) + ":" + number(rule.minor()) + " " + access;
  }

  private static String number(Long n) {
    return n == null || n < 0 ? "*" : Long.toString(n);
  }
}
