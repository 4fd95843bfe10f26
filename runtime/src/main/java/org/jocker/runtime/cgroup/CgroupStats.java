package org.jocker.runtime.cgroup;

import java.util.OptionalLong;

/**
 * A snapshot of a container's cgroup usage. Parts whose controller is absent on the host are
 * zeros. "Unlimited" limits are {@link #UNLIMITED}.
 */
public record CgroupStats(Memory memory, Cpu cpu, Pids pids, long oomKillCount) {

  public static final long UNLIMITED = Long.MAX_VALUE;

  /**
   * @param usage bytes in use now
   * @param limit the hard limit in bytes
   * @param maxUsage the peak usage (0 where the kernel does not track it)
   * @param swapUsage swap in use, if swap accounting is available
   */
  public record Memory(long usage, long limit, long maxUsage, OptionalLong swapUsage) {
    static final Memory NONE = new Memory(0, UNLIMITED, 0, OptionalLong.empty());
  }

  /** CPU time in nanoseconds; user/system split where the kernel provides it. */
  public record Cpu(long usageNanos, OptionalLong userNanos, OptionalLong systemNanos) {
    static final Cpu NONE = new Cpu(0, OptionalLong.empty(), OptionalLong.empty());
  }

  public record Pids(long current, long limit) {
    static final Pids NONE = new Pids(0, UNLIMITED);
  }
}
