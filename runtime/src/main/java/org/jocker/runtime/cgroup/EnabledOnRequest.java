package org.jocker.runtime.cgroup;

import java.util.Set;
import org.jocker.runtime.spec.Spec;

/**
 * A cgroup2 resource whose controllers create() does not enable for every container: apply()
 * enables them in the parents' cgroup.subtree_control only when the resources ask for it.
 */
interface EnabledOnRequest {
  /** The cgroup2 controllers these (requested) resources need. */
  Set<String> controllersToEnable(Spec.Resources r);
}
