package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** OCI linux.resources.network.classID: net_cls.classid, the tag of the container's packets (v1 only). */
final class V1NetCls implements ResourceController {
  private static final long MAX_CLASS_ID = 0xFFFF_FFFFL;

  @Override
  public String name() {
    return "net_cls";
  }

  @Override
  public String field() {
    return "linux.resources.network.classID";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    // 0 is the kernel's "no class" and runc's "unset": it asks nothing, even of a host without net_cls.
    return r.network() != null && r.network().classID() != null && r.network().classID() != 0;
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (!requested(r)) {
      return;
    }
    long classId = r.network().classID();
    // the kernel keeps the low 32 bits of what it is given: a larger id would tag other traffic
    if (classId < 0 || classId > MAX_CLASS_ID) {
      throw new CgroupException("cgroup net_cls: " + field() + " " + classId + " is not a 32-bit class id");
    }
    dir.write("net_cls.classid", Long.toString(classId));
  }
}
