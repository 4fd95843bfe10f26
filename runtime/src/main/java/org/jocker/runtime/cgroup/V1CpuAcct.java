package org.jocker.runtime.cgroup;

/** cgroup v1 cpuacct: nanosecond CPU time, split into user/system on kernels that have usage_user. */
final class V1CpuAcct implements CpuAccounting {
  @Override
  public CgroupStats.Cpu stats(CgroupDir dir) {
    return new CgroupStats.Cpu(
        dir.readLong("cpuacct.usage"),
        dir.readLongIfPresent("cpuacct.usage_user"),
        dir.readLongIfPresent("cpuacct.usage_sys"));
  }
}
