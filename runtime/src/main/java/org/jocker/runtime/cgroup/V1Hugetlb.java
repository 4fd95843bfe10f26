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

  @Override
  CgroupStats.Hugetlb usage(CgroupDir dir, String prefix) {
    return new CgroupStats.Hugetlb(dir.readLongIfPresent(prefix + ".usage_in_bytes").orElse(0),
        dir.readLongIfPresent(prefix + ".max_usage_in_bytes").orElse(0),
        dir.readLongIfPresent(prefix + ".failcnt").orElse(0));
  }
}
