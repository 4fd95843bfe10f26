package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** cgroup v2 cpu: cpu.weight (from OCI shares), cpu.max, cpu.idle. */
final class V2Cpu implements ResourceController {
  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return new V1Cpu().requested(r); // the same OCI fields, written to other files
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    Spec.Cpu c = r.cpu();
    if (c == null) {
      return;
    }
    if (V1Cpu.nonZero(c.realtimeRuntime()) || V1Cpu.nonZero(c.realtimePeriod())) {
      throw new CgroupException("cgroup cpu: realtimeRuntime/realtimePeriod are not supported on"
          + " cgroup v2 (" + dir.path() + ")");
    }
    if (V1Cpu.nonZero(c.shares())) {
      dir.write("cpu.weight", Long.toString(weight(c.shares())));
    }
    if (V1Cpu.nonZero(c.quota()) || V1Cpu.nonZero(c.period())) {
      String max = !V1Cpu.nonZero(c.quota()) ? currentQuota(dir) : c.quota() > 0 ? Long.toString(c.quota()) : "max";
      if (V1Cpu.nonZero(c.period())) {
        max += " " + c.period();
      }
      dir.write("cpu.max", max);
    }
    if (c.idle() != null) {
      dir.write("cpu.idle", Long.toString(c.idle()));
    }
  }

  /**
   * cpu.max holds quota and period together: a new period alone keeps the quota in place (as on
   * v1, and as runc update does), "max" in a new cgroup.
   */
  private static String currentQuota(CgroupDir dir) {
    String quota = dir.read("cpu.max").split(" ")[0];
    return quota.isEmpty() ? "max" : quota;
  }

  /** runc's mapping of v1 shares [2, 262144] onto v2 weight [1, 10000]. */
  static long weight(long shares) {
    return 1 + ((shares - 2) * 9999) / 262142;
  }
}
