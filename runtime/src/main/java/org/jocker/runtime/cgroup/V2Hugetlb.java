package org.jocker.runtime.cgroup;

import java.util.Set;
import org.jocker.runtime.spec.Spec;

/**
 * cgroup v2 hugetlb: hugetlb.SIZE.max and hugetlb.SIZE.rsvd.max. Enabled in the parents only for a
 * container that asks for it, so containers without limits leave the tree as before.
 */
final class V2Hugetlb extends HugetlbController implements EnabledOnRequest {
  V2Hugetlb(HugePageSizes sizes) {
    super(sizes);
  }

  @Override
  String limitSuffix() {
    return ".max";
  }

  @Override
  public Set<String> controllersToEnable(Spec.Resources r) {
    return Set.of(name());
  }

  /** hugetlb.SIZE.current and the "max" count of hugetlb.SIZE.events; cgroup2 keeps no peak. */
  @Override
  CgroupStats.Hugetlb usage(CgroupDir dir, String prefix) {
    return new CgroupStats.Hugetlb(dir.readLongIfPresent(prefix + ".current").orElse(0), 0,
        dir.keyed(prefix + ".events", "max").orElse(0));
  }
}
