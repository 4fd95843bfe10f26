package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** cgroup v2 io weight. OCI leafWeight has no v2 equivalent and is ignored, as runc does. */
final class V2Io implements ResourceController {
  @Override
  public String name() {
    return "io";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return r.blockIO() != null && r.blockIO().weight() != null;
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (!requested(r)) {
      return;
    }
    int weight = r.blockIO().weight();
    // BFQ takes the v1 scale (1..1000) directly; io.weight is 1..10000 (runc's conversion).
    if (dir.has("io.bfq.weight")) {
      dir.write("io.bfq.weight", Integer.toString(weight));
    } else {
      dir.write("io.weight", Long.toString(ioWeight(weight)));
    }
  }

  static long ioWeight(int blkioWeight) {
    return 1 + ((long) blkioWeight - 10) * 9999 / 990;
  }
}
