package org.jocker.runtime.cgroup;

import java.util.OptionalLong;

/** cgroup v2 cpu.stat, in microseconds; it exists in every v2 cgroup, cpu controller or not. */
final class V2CpuStat implements CpuAccounting {
  @Override
  public CgroupStats.Cpu stats(CgroupDir dir) {
    return new CgroupStats.Cpu(
        dir.keyed("cpu.stat", "usage_usec").orElse(0) * 1000,
        nanos(dir.keyed("cpu.stat", "user_usec")),
        nanos(dir.keyed("cpu.stat", "system_usec")));
  }

  private static OptionalLong nanos(OptionalLong micros) {
    return micros.isPresent() ? OptionalLong.of(micros.getAsLong() * 1000) : micros;
  }
}
