package org.jocker.runtime.cgroup;

/** Where CPU time is read: v1 cpuacct, or cgroup2's cpu.stat (present in every v2 cgroup). */
interface CpuAccounting {
  CgroupStats.Cpu stats(CgroupDir dir);
}
