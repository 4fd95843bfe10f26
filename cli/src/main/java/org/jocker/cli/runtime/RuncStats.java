package org.jocker.cli.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jocker.runtime.cgroup.CgroupStats;

/**
 * A container's cgroup usage in the layout of runc's events ("data" of a stats event: its
 * types.Stats), for the parts Jocker measures: cpu time, memory and pids. Zeros runc leaves out
 * are left out (null); an unlimited pids limit too, as runc reads "max" as 0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RuncStats(Cpu cpu, Memory memory, Pids pids) {
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

  static RuncStats of(CgroupStats s) {
    CgroupStats.Memory m = s.memory();
    MemoryEntry swap = m.swapUsage().isPresent()
        ? new MemoryEntry(null, orNull(m.usage() + m.swapUsage().getAsLong()), null) : null;
    return new RuncStats(
        new Cpu(new CpuUsage(orNull(s.cpu().usageNanos()), s.cpu().systemNanos().orElse(0),
            s.cpu().userNanos().orElse(0))),
        new Memory(new MemoryEntry(m.limit(), orNull(m.usage()), orNull(m.maxUsage())), swap),
        new Pids(orNull(s.pids().current()), s.pids().limit() == CgroupStats.UNLIMITED ? null : orNull(s.pids().limit())));
  }

  private static Long orNull(long v) {
    return v == 0 ? null : v;
  }
}
