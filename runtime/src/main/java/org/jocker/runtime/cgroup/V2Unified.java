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
  /** Controllers this host mounts as cgroup v1 hierarchies: unified keys cannot reach them. */
  private final Set<String> onV1;

  V2Unified(Set<String> onV1) {
    this.onV1 = Set.copyOf(onV1);
  }

  /** For a host's layout: the controllers of its v1 hierarchies. */
  static V2Unified forLayout(CgroupLayout layout) {
    Set<String> onV1 = new HashSet<>();
    layout.hierarchies().stream().filter(h -> !h.unified()).forEach(h -> onV1.addAll(h.controllers()));
    return new V2Unified(onV1);
  }

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
    refuseV1Keys(r);
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
    refuseV1Keys(r);
    for (Map.Entry<String, String> e : r.unified().entrySet()) {
      dir.write(checkedKey(e.getKey()), e.getValue());
    }
  }

  /**
   * runc refuses unified on any host not purely cgroup2, in these words. On a hybrid host a key of
   * a controller the cgroup2 mount holds (hugetlb here and there) still works; one of a controller
   * mounted as v1 cannot: its files do not exist on cgroup2.
   */
  private void refuseV1Keys(Spec.Resources r) {
    for (String key : r.unified().keySet()) {
      String controller = controllerOf(key);
      if (onV1.contains(controller)) {
        throw new CgroupException("cgroup: invalid configuration: cannot use unified on cgroup v1: "
            + field() + " key \"" + key + "\" is for the " + controller
            + " controller, which this host mounts as cgroup v1 (set it through linux.resources instead)");
      }
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
