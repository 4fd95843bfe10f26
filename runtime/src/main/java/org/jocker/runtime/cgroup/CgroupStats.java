package org.jocker.runtime.cgroup;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A snapshot of a container's cgroup usage. Parts whose controller is absent on the host are
 * zeros. "Unlimited" limits are {@link #UNLIMITED}.
 */
public record CgroupStats(Memory memory, Cpu cpu, Pids pids, long oomKillCount, BlockIo blockIo,
    Map<String, Hugetlb> hugetlb) {

  public CgroupStats {
    hugetlb = Map.copyOf(hugetlb);
  }

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

  /**
   * Block I/O of the cgroup's processes, per device, as runc reports it: bytes and operations by
   * kind (v1: Read, Write, Sync, Async, Discard, Total; cgroup2's io.stat: Read, Write, Discard).
   */
  public record BlockIo(List<BlockIoEntry> serviceBytes, List<BlockIoEntry> serviced) {
    public static final BlockIo NONE = new BlockIo(List.of(), List.of());

    public BlockIo {
      serviceBytes = List.copyOf(serviceBytes);
      serviced = List.copyOf(serviced);
    }

    /** Bytes of operation {@code op} (Read, Write) over every device. */
    public long bytes(String op) {
      return serviceBytes.stream().filter(e -> e.op().equals(op)).mapToLong(BlockIoEntry::value).sum();
    }
  }

  public record BlockIoEntry(int major, int minor, String op, long value) {}

  /**
   * One huge page size's use, in bytes: now, the peak (0 on cgroup2, which does not track it) and
   * how often an allocation hit the limit.
   */
  public record Hugetlb(long usage, long maxUsage, long failcnt) {}
}
