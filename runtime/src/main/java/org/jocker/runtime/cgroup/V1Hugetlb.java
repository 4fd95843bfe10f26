package org.jocker.runtime.cgroup;

/** cgroup v1 hugetlb: hugetlb.SIZE.limit_in_bytes and hugetlb.SIZE.rsvd.limit_in_bytes. */
final class V1Hugetlb extends HugetlbController {
  V1Hugetlb(HugePageSizes sizes) {
    super(sizes);
  }

  @Override
  String limitSuffix() {
    return ".limit_in_bytes";
  }
}
