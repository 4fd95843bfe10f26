package org.jocker.runtime.cgroup;

import java.util.OptionalLong;
import org.jocker.runtime.spec.Spec;

/** cgroup v1 memory: limit_in_bytes, memsw (memory+swap, same meaning as OCI swap), soft limit. */
final class V1Memory extends MemoryController {
  static final String LIMIT = "memory.limit_in_bytes";
  static final String MEMSW = "memory.memsw.limit_in_bytes";

  /** v1 reports "unlimited" as the page-rounded top of the counter, e.g. 0x7FFFFFFFFFFFF000. */
  private static final long V1_UNLIMITED_FLOOR = 0x7FFFFFFFFFFF0000L;

  @Override
  void limit(CgroupDir dir, Spec.Memory m) {
    setLimitAndSwap(dir, m.limit(), m.swap());
    if (m.reservation() != null) {
      dir.write("memory.soft_limit_in_bytes", Long.toString(m.reservation()));
    }
    // m.kernel() is ignored: kernel memory limits are deprecated in OCI and rejected since Linux 5.16.
    if (m.kernelTCP() != null) {
      dir.write("memory.kmem.tcp.limit_in_bytes", Long.toString(m.kernelTCP()));
    }
    if (m.swappiness() != null) {
      if (m.swappiness() < 0 || m.swappiness() > 100) {
        throw new CgroupException("cgroup memory: swappiness " + m.swappiness()
            + " is out of range 0..100 (linux.resources.memory.swappiness)");
      }
      dir.write("memory.swappiness", Long.toString(m.swappiness()));
    }
    if (Boolean.TRUE.equals(m.disableOOMKiller())) {
      dir.write("memory.oom_control", "1");
    }
  }

  /**
   * The kernel keeps limit <= memsw at every moment, so the write order depends on the direction
   * of the change (as runc does): raising writes memsw first, lowering writes the limit first.
   */
  private static void setLimitAndSwap(CgroupDir dir, Long limit, Long swap) {
    Long memsw = swap;
    if (limit != null && limit == -1 && memsw == null) {
      memsw = -1L; // unlimited memory with unset swap means unlimited memory+swap too
    }
    if (memsw != null && !dir.has(MEMSW)) {
      if (swap != null && swap != -1) {
        throw new CgroupException("cgroup memory: cannot set swap limit " + swap + " in "
            + dir.path() + ": swap accounting is off (no " + MEMSW + "; boot with swapaccount=1)");
      }
      memsw = null; // nothing to account: unlimited swap is what we get anyway
    }
    if (limit != null && memsw != null) {
      long current = dir.readLong(LIMIT);
      if (memsw == -1 || current < memsw) {
        dir.write(MEMSW, Long.toString(memsw));
        dir.write(LIMIT, Long.toString(limit));
      } else {
        dir.write(LIMIT, Long.toString(limit));
        dir.write(MEMSW, Long.toString(memsw));
      }
    } else if (limit != null) {
      dir.write(LIMIT, Long.toString(limit));
    } else if (memsw != null) {
      dir.write(MEMSW, Long.toString(memsw));
    }
  }

  @Override
  CgroupStats.Memory stats(CgroupDir dir) {
    long usage = dir.readLong("memory.usage_in_bytes");
    OptionalLong swap = OptionalLong.empty();
    if (dir.has("memory.memsw.usage_in_bytes")) {
      swap = OptionalLong.of(Math.max(0, dir.readLong("memory.memsw.usage_in_bytes") - usage));
    }
    long limit = dir.readLong(LIMIT);
    return new CgroupStats.Memory(
        usage,
        limit >= V1_UNLIMITED_FLOOR ? CgroupStats.UNLIMITED : limit,
        dir.readLong("memory.max_usage_in_bytes"),
        swap);
  }

  @Override
  long oomKillCount(CgroupDir dir) {
    return dir.keyed("memory.oom_control", "oom_kill").orElse(0);
  }
}
