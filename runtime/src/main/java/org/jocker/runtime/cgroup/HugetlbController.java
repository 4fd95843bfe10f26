package org.jocker.runtime.cgroup;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jocker.runtime.spec.Spec;

/**
 * OCI linux.resources.hugepageLimits, whichever cgroup version drives hugetlb: per page size, the
 * limit and, where the kernel has it (5.7+), the same limit on reservations, as runc 1.2 does (else
 * a process may reserve huge pages at mmap time beyond the limit and be killed when it touches them).
 */
abstract class HugetlbController implements ResourceController {
  static final String FIELD = "linux.resources.hugepageLimits";

  private final HugePageSizes sizes;

  HugetlbController(HugePageSizes sizes) {
    this.sizes = sizes;
  }

  @Override
  public final String name() {
    return "hugetlb";
  }

  @Override
  public final String field() {
    return FIELD;
  }

  @Override
  public final boolean requested(Spec.Resources r) {
    return r.hugepageLimits() != null && !r.hugepageLimits().isEmpty();
  }

  @Override
  public final void apply(CgroupDir dir, Spec.Resources r) {
    if (!requested(r)) {
      return;
    }
    List<String> known = sizes.names();
    for (Spec.HugepageLimit l : r.hugepageLimits()) {
      if (!known.contains(l.pageSize())) {
        throw new CgroupException("cgroup hugetlb: " + FIELD + ": page size \"" + l.pageSize()
            + "\" is not one of this host's (" + (known.isEmpty() ? "none" : String.join(", ", known))
            + ", from " + sizes.dir() + ")");
      }
    }
    for (Spec.HugepageLimit l : r.hugepageLimits()) {
      String prefix = "hugetlb." + l.pageSize();
      String limit = prefix + limitSuffix();
      if (!dir.has(limit)) {
        throw new CgroupException("cgroup hugetlb: " + FIELD + ": no " + limit + " in " + dir.path()
            + " (the hugetlb controller is not enabled there)");
      }
      String value = Long.toString(l.limit());
      dir.write(limit, value);
      String reservations = prefix + ".rsvd" + limitSuffix();
      if (dir.has(reservations)) {
        dir.write(reservations, value);
      }
    }
  }

  /** How the version names a limit file after "hugetlb.SIZE" (and "hugetlb.SIZE.rsvd"). */
  abstract String limitSuffix();

  /**
   * Each of the host's page sizes, by name ("2MB"): usage, peak and failures. Empty where the
   * controller is not enabled for the cgroup (cgroup2 enables hugetlb on request).
   */
  final Map<String, CgroupStats.Hugetlb> stats(CgroupDir dir) {
    Map<String, CgroupStats.Hugetlb> bySize = new TreeMap<>();
    for (String size : sizes.names()) {
      String prefix = "hugetlb." + size;
      if (dir.has(prefix + limitSuffix())) {
        bySize.put(size, usage(dir, prefix));
      }
    }
    return bySize;
  }

  /** The usage of one page size, whose files start with {@code prefix} ("hugetlb.2MB"). */
  abstract CgroupStats.Hugetlb usage(CgroupDir dir, String prefix);
}
