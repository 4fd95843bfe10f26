package org.jocker.runtime.cgroup;

import java.util.List;
import org.jocker.runtime.spec.Spec;

/**
 * The devices allowlist, whichever way the host enforces it (v1 controller files or a v2 eBPF
 * program): asked for whenever the spec lists device rules, even an empty list (deny all).
 */
abstract class DevicesController implements ResourceController {
  @Override
  public final String name() {
    return "devices";
  }

  @Override
  public final boolean requested(Spec.Resources r) {
    return r.devices() != null;
  }

  @Override
  public final void apply(CgroupDir dir, Spec.Resources r) {
    if (r.devices() != null) {
      enforce(dir, r.devices());
    }
  }

  /** Makes exactly these rules, in order after an implicit deny-all, hold for the cgroup. */
  abstract void enforce(CgroupDir dir, List<Spec.DeviceRule> rules);
}
