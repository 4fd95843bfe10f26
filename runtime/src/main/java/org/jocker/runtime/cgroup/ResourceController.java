package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** Writes the part of linux.resources that one controller owns into the container's directory. */
interface ResourceController {
  /** The controller's name, as in /proc/cgroups or cgroup.controllers. */
  String name();

  /** The part of linux.resources it applies, named in errors; the whole where a controller does not say. */
  default String field() {
    return "linux.resources";
  }

  /** Whether the resources ask this controller for anything (a missing controller is then an error). */
  boolean requested(Spec.Resources r);

  void apply(CgroupDir dir, Spec.Resources r);
}
