package org.jocker.runtime.cgroup;

import java.nio.file.Path;
import org.jocker.runtime.spec.Spec;

/** cpuset.cpus and cpuset.mems: the same files on v1 and v2. */
final class CpusetControl implements ResourceController {
  @Override
  public String name() {
    return "cpuset";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return r.cpu() != null && (notEmpty(r.cpu().cpus()) || notEmpty(r.cpu().mems()));
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (r.cpu() == null) {
      return;
    }
    if (notEmpty(r.cpu().cpus())) {
      dir.write("cpuset.cpus", r.cpu().cpus());
    }
    if (notEmpty(r.cpu().mems())) {
      dir.write("cpuset.mems", r.cpu().mems());
    }
  }

  /**
   * A new v1 cpuset cgroup starts with empty cpus and mems, and the kernel refuses to attach tasks
   * to it (ENOSPC). Copy each empty level's values from its parent, from the mount down to the leaf.
   */
  static void inheritFromParents(String controller, Path mountPoint, Path leaf) {
    Path rel = mountPoint.relativize(leaf);
    CgroupDir parent = new CgroupDir(controller, mountPoint);
    for (Path name : rel) {
      CgroupDir child = parent.child(name.toString());
      for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
        if (child.read(file).isEmpty()) {
          child.write(file, parent.read(file));
        }
      }
      parent = child;
    }
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
