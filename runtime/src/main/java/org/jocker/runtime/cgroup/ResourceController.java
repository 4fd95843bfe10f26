package org.jocker.runtime.cgroup;

import org.jocker.runtime.spec.Spec;

/** Writes the part of linux.resources that one controller owns into the container's directory. */
interface ResourceController {
  /** The controller's name, as in /proc/cgroups or cgroup.controllers. */
  String name();

  /** Whether the resources ask this controller for anything (a missing controller is then an error). */
  boolean requested(Spec.Resources r);

  void apply(CgroupDir dir, Spec.Resources r);
}
