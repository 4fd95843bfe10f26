package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** cgroup v1 blkio weights (only CFQ or BFQ provide them; many kernels have neither file). */
final class V1Blkio implements ResourceController {
  @Override
  public String name() {
    return "blkio";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return r.blockIO() != null && (r.blockIO().weight() != null || r.blockIO().leafWeight() != null);
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    Spec.BlockIo io = r.blockIO();
    if (io == null) {
      return;
    }
    if (io.weight() != null) {
      String file = dir.has("blkio.weight") ? "blkio.weight"
          : dir.has("blkio.bfq.weight") ? "blkio.bfq.weight" : null;
      if (file == null) {
        throw new CgroupException("cgroup blkio: cannot set weight " + io.weight() + " in "
            + dir.path() + ": neither blkio.weight nor blkio.bfq.weight exists"
            + " (the block I/O scheduler has no weights)");
      }
      dir.write(file, Integer.toString(io.weight()));
    }
    if (io.leafWeight() != null) {
      dir.write("blkio.leaf_weight", Integer.toString(io.leafWeight()));
    }
  }
}
