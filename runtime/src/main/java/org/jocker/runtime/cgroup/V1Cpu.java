package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** cgroup v1 cpu: CFS shares and bandwidth, realtime budget, SCHED_IDLE. */
final class V1Cpu implements ResourceController {
  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    Spec.Cpu c = r.cpu();
    return c != null && (nonZero(c.shares()) || nonZero(c.quota()) || nonZero(c.period())
        || nonZero(c.realtimeRuntime()) || nonZero(c.realtimePeriod()) || c.idle() != null);
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    Spec.Cpu c = r.cpu();
    if (c == null) {
      return;
    }
    if (nonZero(c.shares())) {
      dir.write("cpu.shares", Long.toString(c.shares()));
      // The kernel clamps shares to [2, 262144] silently; say so instead of running with another value.
      long actual = dir.readLong("cpu.shares");
      if (actual != c.shares()) {
        throw new CgroupException("cgroup cpu: cpu.shares " + c.shares() + " in " + dir.path()
            + " was clamped by the kernel to " + actual);
      }
    }
    setBandwidth(dir, c.quota(), c.period());
    // Realtime: the period must be set before a runtime that only fits the new period.
    if (nonZero(c.realtimePeriod())) {
      dir.write("cpu.rt_period_us", Long.toString(c.realtimePeriod()));
    }
    if (nonZero(c.realtimeRuntime())) {
      dir.write("cpu.rt_runtime_us", Long.toString(c.realtimeRuntime()));
    }
    if (c.idle() != null) {
      dir.write("cpu.idle", Long.toString(c.idle()));
    }
  }

  /**
   * A smaller period can be refused (EINVAL) while the old quota is still in place, because
   * quota/period would exceed the parent's bandwidth; runc then retries it after the quota.
   */
  private static void setBandwidth(CgroupDir dir, Long quota, Long period) {
    boolean periodPending = false;
    if (nonZero(period)) {
      try {
        dir.write("cpu.cfs_period_us", Long.toString(period));
      } catch (CgroupException e) {
        if (!nonZero(quota)) {
          throw e;
        }
        periodPending = true;
      }
    }
    if (nonZero(quota)) {
      dir.write("cpu.cfs_quota_us", Long.toString(quota));
      if (periodPending) {
        dir.write("cpu.cfs_period_us", Long.toString(period));
      }
    }
  }

  static boolean nonZero(Long v) {
    return v != null && v != 0;
  }
}
