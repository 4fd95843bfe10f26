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
    return new CgroupStats.Hugetlb(dir.readLong(prefix + ".usage_in_bytes"),
        dir.readLong(prefix + ".max_usage_in_bytes"), dir.readLong(prefix + ".failcnt"));
  }
}
