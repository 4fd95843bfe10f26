package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** pids.max and pids.current: the same files on v1 and v2. */
final class PidsControl implements PidsController {
  @Override
  public String name() {
    return "pids";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return r.pids() != null;
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (r.pids() != null) {
      // As runc: zero or negative means unlimited (a limit of 0 would forbid even the init process).
      long limit = r.pids().limit();
      dir.write("pids.max", limit > 0 ? Long.toString(limit) : "max");
    }
  }

  @Override
  public CgroupStats.Pids stats(CgroupDir dir) {
    return new CgroupStats.Pids(dir.readLong("pids.current"), dir.readLong("pids.max"));
  }
}
