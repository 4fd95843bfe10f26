package org.jocker.runtime.cgroup;

import java.util.Map;
import org.jocker.runtime.spec.Spec;

/** OCI linux.resources.unified: raw cgroup2 files, written last so they override the rest. */
final class V2Unified implements ResourceController {
  @Override
  public String name() {
    return "unified";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return r.unified() != null && !r.unified().isEmpty();
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (!requested(r)) {
      return;
    }
    for (Map.Entry<String, String> e : r.unified().entrySet()) {
      dir.write(checkedKey(e.getKey()), e.getValue());
    }
  }

  /** A key must name a file in the container's own directory, never elsewhere. */
  static String checkedKey(String key) {
    if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
      throw new CgroupException("cgroup unified: key \"" + key + "\" is not a cgroup file name");
    }
    return key;
  }

  /** "hugetlb.2MB.max" belongs to the hugetlb controller; "cgroup.*" files to none. */
  static String controllerOf(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? key : key.substring(0, dot);
  }
}
