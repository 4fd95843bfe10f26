package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/**
 * The memory controller, whichever cgroup version the host binds it to: asked for whenever the
 * spec has a memory section; it also reports usage and OOM kills.
 */
abstract class MemoryController implements ResourceController {
  @Override
  public final String name() {
    return "memory";
  }

  @Override
  public final boolean requested(Spec.Resources r) {
    return r.memory() != null;
  }

  @Override
  public final void apply(CgroupDir dir, Spec.Resources r) {
    if (r.memory() != null) {
      limit(dir, r.memory());
    }
  }

  /** Writes the memory section into the version's own files. */
  abstract void limit(CgroupDir dir, Spec.Memory m);

  abstract CgroupStats.Memory stats(CgroupDir dir);

  abstract long oomKillCount(CgroupDir dir);
}
