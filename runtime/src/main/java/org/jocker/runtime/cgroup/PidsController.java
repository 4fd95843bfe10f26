package org.jocker.runtime.cgroup;

/** The pids controller also reports the task count. */
interface PidsController extends ResourceController {
  CgroupStats.Pids stats(CgroupDir dir);
}
