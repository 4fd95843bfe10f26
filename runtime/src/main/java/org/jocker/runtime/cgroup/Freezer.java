package org.jocker.runtime.cgroup;

/** Stops and resumes every task of a cgroup. */
interface Freezer {
  /** Returns once the kernel reports the cgroup frozen. */
  void freeze(CgroupDir dir);

  void thaw(CgroupDir dir);

  boolean isFrozen(CgroupDir dir);
}
