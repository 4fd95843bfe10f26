package org.jocker.cli.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jocker.runtime.cgroup.CgroupStats;

/**
 * A container's cgroup usage in the layout of runc's events ("data" of a stats event: its
 * types.Stats), for the parts Jocker measures: cpu time, memory, pids, block I/O and huge pages.
 * Zeros and empty lists runc leaves out are left out (null); an unlimited pids limit too, as runc
 * reads "max" as 0.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record RuncStats(Cpu cpu, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb) {
  record Cpu(CpuUsage usage) {}

  /** Nanoseconds. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record CpuUsage(Long total, long kernel, long user) {}

  /** runc's swap is memory plus swap, as v1's memsw counts it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Memory(MemoryEntry usage, MemoryEntry swap) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MemoryEntry(Long limit, Long usage, Long max) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Pids(Long current, Long limit) {}

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Blkio(List<BlkioEntry> ioServiceBytesRecursive, List<BlkioEntry> ioServicedRecursive) {}

  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  record BlkioEntry(long major, long minor, String op, long value) {}

  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  record Hugetlb(long usage, long max, long failcnt) {}

  static RuncStats of(CgroupStats s) {
    CgroupStats.Memory m = s.memory();
    MemoryEntry swap = m.swapUsage().isPresent()
        ? new MemoryEntry(null, orNull(m.usage() + m.swapUsage().getAsLong()), null) : null;
    return new RuncStats(
        new Cpu(new CpuUsage(orNull(s.cpu().usageNanos()), s.cpu().systemNanos().orElse(0),
            s.cpu().userNanos().orElse(0))),
        new Memory(new MemoryEntry(m.limit(), orNull(m.usage()), orNull(m.maxUsage())), swap),
        new Pids(orNull(s.pids().current()), s.pids().limit() == CgroupStats.UNLIMITED ? null : orNull(s.pids().limit())),
        new Blkio(entries(s.blockIo().serviceBytes()), entries(s.blockIo().serviced())),
        s.hugetlb().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
            e -> new Hugetlb(e.getValue().usage(), e.getValue().maxUsage(), e.getValue().failcnt()),
            (a, b) -> a, TreeMap::new)));
  }

  private static List<BlkioEntry> entries(List<CgroupStats.BlockIoEntry> entries) {
    return entries.stream().map(e -> new BlkioEntry(e.major(), e.minor(), e.op(), e.value())).toList();
  }

  private static Long orNull(long v) {
    return v == 0 ? null : v;
  }
}
