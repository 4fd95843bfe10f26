package org.jocker.runtime.cgroup;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jocker.runtime.spec.Spec;

/**
 * OCI linux.resources.unified: raw cgroup2 files, written last so they override the rest. Keys may
 * name controllers that create() did not enable (hugetlb, rdma, misc): apply() enables them first.
 */
final class V2Unified implements ResourceController, EnabledOnRequest {
  @Override
  public String name() {
    return "unified";
  }

  @Override
  public String field() {
    return "linux.resources.unified";
  }

  @Override
  public Set<String> controllersToEnable(Spec.Resources r) {
    Set<String> named = new HashSet<>();
    for (String key : r.unified().keySet()) {
      named.add(controllerOf(key));
    }
    return named;
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
  private static String controllerOf(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? key : key.substring(0, dot);
  }
}
