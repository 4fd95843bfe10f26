package org.jocker.runtime.cgroup;

import java.util.List;
import org.jocker.kernel.KernelException;
import org.jocker.runtime.kernel.Bpf;
import org.jocker.runtime.spec.Spec;

/**
 * cgroup v2 devices: v2 has no devices controller, so the rules become an eBPF program attached to
 * the container's directory (as runc and crun do). It is attached when the cgroup is configured,
 * before the init joins it, and goes away with the directory.
 */
final class V2Devices extends DevicesController {
  /** The program calls no kernel helpers, so the license only labels it. */
  private static final String LICENSE = "GPL";

  @Override
  void enforce(CgroupDir dir, List<Spec.DeviceRule> rules) {
    byte[] program = DeviceFilter.compile(rules);
    try {
      Bpf.attachDeviceFilter(dir.path(), program, LICENSE);
    } catch (KernelException e) {
      throw new CgroupException("cgroup devices: cannot attach the device filter to " + dir.path()
          + ": " + e.getMessage(), e);
    }
  }
}
