package org.jocker.runtime.cgroup;

/** The block I/O controller (v1 blkio, cgroup2 io) also reports what the cgroup read and wrote. */
interface BlockIoController extends ResourceController {
  /** Empty where the controller is not enabled for the cgroup (cgroup2 enables io on request). */
  CgroupStats.BlockIo stats(CgroupDir dir);
}
