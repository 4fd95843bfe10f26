package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/**
 * cgroup v2 memory: memory.max, memory.low, memory.swap.max. swappiness, disableOOMKiller and the
 * kernel limits have no v2 file and are ignored, as runc does.
 */
final class V2Memory extends MemoryController {
  @Override
  void limit(CgroupDir dir, Spec.Memory m) {
    long limit = m.limit() == null ? 0 : m.limit();
    String swap = v2Value(swapOnly(m.swap() == null ? 0 : m.swap(), limit));
    // Swap first: with memory.max lowered first, the old swap room could briefly be exceeded.
    if (!swap.isEmpty()) {
      if (dir.has("memory.swap.max")) {
        dir.write("memory.swap.max", swap);
      } else if (!swap.equals("max") && !swap.equals("0")) {
        throw new CgroupException("cgroup memory: cannot set memory.swap.max to " + swap + " in "
            + dir.path() + ": swap accounting is off (no memory.swap.max)");
      }
    }
    String max = v2Value(limit);
    if (!max.isEmpty()) {
      dir.write("memory.max", max);
    }
    String low = v2Value(m.reservation() == null ? 0 : m.reservation());
    if (!low.isEmpty()) {
      dir.write("memory.low", low);
    }
  }

  /**
   * OCI (like v1 memsw) limits memory+swap; memory.swap.max limits swap alone. Converted as runc's
   * ConvertMemorySwapToCgroupV2Value: 0 = unset, -1 = unlimited.
   */
  static long swapOnly(long memorySwap, long memory) {
    if (memory == -1 && memorySwap == 0) {
      return -1; // unlimited memory with unset swap: unlimited swap too, as on v1
    }
    if (memorySwap == -1 || memorySwap == 0) {
      return memorySwap;
    }
    if (memory == 0 || memory == -1) {
      throw new CgroupException("cgroup memory: swap " + memorySwap
          + " needs a memory limit (linux.resources.memory.limit) on cgroup v2");
    }
    if (memorySwap < memory) {
      throw new CgroupException("cgroup memory: swap " + memorySwap
          + " (memory+swap) must be at least the memory limit " + memory);
    }
    return memorySwap - memory;
  }

  /** 0 = leave unset (""), -1 = "max". */
  private static String v2Value(long v) {
    return v == 0 ? "" : v == -1 ? "max" : Long.toString(v);
  }

  @Override
  CgroupStats.Memory stats(CgroupDir dir) {
    return new CgroupStats.Memory(
        dir.readLong("memory.current"),
        dir.readLong("memory.max"),
        dir.readLongIfPresent("memory.peak").orElse(0), // Linux 5.19+
        dir.readLongIfPresent("memory.swap.current"));
  }

  @Override
  long oomKillCount(CgroupDir dir) {
    return dir.keyed("memory.events", "oom_kill").orElse(0);
  }
}
