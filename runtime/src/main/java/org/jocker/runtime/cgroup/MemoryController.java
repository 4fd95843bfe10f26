package org.jocker.runtime.cgroup;

/** The memory controller also reports usage and OOM kills. */
interface MemoryController extends ResourceController {
  CgroupStats.Memory stats(CgroupDir dir);

  long oomKillCount(CgroupDir dir);
}
