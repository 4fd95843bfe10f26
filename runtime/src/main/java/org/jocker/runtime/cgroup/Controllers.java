package org.jocker.runtime.cgroup;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The per-controller choice: for each controller Jocker drives, the v1 or v2 implementation that
 * matches the hierarchy the host binds it to.
 *
 * <p>Device rules go to the v1 devices controller when the host has one, else to an eBPF program
 * on the cgroup2 directory ({@link V2Devices}); a host with neither cannot take device rules.
 *
 * @param resources controllers that apply linux.resources, in the order they are applied
 * @param unavailable controllers this host lacks; asking them for anything is an error
 * @param hierarchies every hierarchy the container joins, in layout order
 */
record Controllers(
    List<Bound<ResourceController>> resources,
    List<ResourceController> unavailable,
    Optional<Bound<MemoryController>> memory,
    Optional<Bound<PidsController>> pids,
    Optional<Bound<CpuAccounting>> cpuAccounting,
    Optional<Bound<Freezer>> freezer,
    Optional<Bound<BlockIoController>> blockIo,
    Optional<Bound<HugetlbController>> hugetlb,
    List<Hierarchy> hierarchies) {

  static Controllers select(CgroupLayout layout) {
    return select(layout, HugePageSizes.HOST);
  }

  /** With the huge page sizes of a given sysfs directory (tests). */
  static Controllers select(CgroupLayout layout, HugePageSizes hugePageSizes) {
    List<Bound<ResourceController>> resources = new ArrayList<>();
    List<ResourceController> unavailable = new ArrayList<>();
    Optional<Hierarchy> unified = layout.unified();

    Optional<Bound<MemoryController>> memory = pick(layout, "memory", V1Memory::new, V2Memory::new);
    Optional<Bound<PidsController>> pids = pick(layout, "pids", PidsControl::new, PidsControl::new);
    add(resources, unavailable, memory.map(Controllers::widen), new V1Memory());
    add(resources, unavailable, pick(layout, "cpu", V1Cpu::new, V2Cpu::new), new V1Cpu());
    add(resources, unavailable,
        pick(layout, "cpuset", CpusetControl::new, CpusetControl::new), new CpusetControl());
    add(resources, unavailable, pids.map(Controllers::widen), new PidsControl());
    Optional<Bound<BlockIoController>> blkio = layout.hierarchyFor("blkio")
        .map(h -> new Bound<BlockIoController>(new V1Blkio(), h))
        .or(() -> layout.hierarchyFor("io").map(h -> new Bound<>(new V2Io(), h)));
    add(resources, unavailable, blkio, new V1Blkio());
    // Only without a v1 devices hierarchy: on hybrid hosts the v1 controller already enforces them.
    Optional<Bound<ResourceController>> devices = layout.hierarchyFor("devices")
        .filter(h -> !h.unified())
        .map(h -> new Bound<ResourceController>(new V1Devices(), h))
        .or(() -> unified.map(h -> new Bound<>(new V2Devices(), h)));
    add(resources, unavailable, devices, new V1Devices());
    Optional<Bound<HugetlbController>> hugetlb = pick(layout, "hugetlb",
        () -> new V1Hugetlb(hugePageSizes), () -> new V2Hugetlb(hugePageSizes));
    add(resources, unavailable, hugetlb, new V1Hugetlb(hugePageSizes));
    // cgroup2 has no net_cls or net_prio (it matches sockets by cgroup path instead)
    add(resources, unavailable, v1Only(layout, "net_cls", new V1NetCls()), new V1NetCls());
    add(resources, unavailable, v1Only(layout, "net_prio", new V1NetPrio()), new V1NetPrio());
    V2Unified unifiedKeys = V2Unified.forLayout(layout);
    add(resources, unavailable, unified.map(h -> new Bound<>(unifiedKeys, h)), unifiedKeys);

    Optional<Bound<CpuAccounting>> cpuAccounting = layout.hierarchyFor("cpuacct")
        .map(h -> new Bound<CpuAccounting>(new V1CpuAcct(), h))
        .or(() -> unified.map(h -> new Bound<>(new V2CpuStat(), h)));
    // Freezing is a core cgroup2 feature (no controller to enable), so any v2 mount can do it.
    Optional<Bound<Freezer>> freezer = layout.hierarchyFor("freezer")
        .filter(h -> !h.unified())
        .map(h -> new Bound<Freezer>(new V1Freezer(), h))
        .or(() -> unified.map(h -> new Bound<>(new V2Freezer(), h)));

    Set<Hierarchy> used = new LinkedHashSet<>();
    resources.forEach(b -> used.add(b.hierarchy()));
    cpuAccounting.ifPresent(b -> used.add(b.hierarchy()));
    freezer.ifPresent(b -> used.add(b.hierarchy()));
    // Joining the cgroup2 tree even when it drives nothing (hybrid hosts) keeps the container's
    // processes together there too, for v2-only tools (PSI, hugetlb, cgroup.kill).
    unified.ifPresent(used::add);
    List<Hierarchy> ordered = layout.hierarchies().stream().filter(used::contains).toList();
    return new Controllers(
        resources, unavailable, memory, pids, cpuAccounting, freezer, blkio, hugetlb, ordered);
  }

  private static <T> Optional<Bound<T>> pick(
      CgroupLayout layout, String controller, Supplier<? extends T> v1, Supplier<? extends T> v2) {
    return layout.hierarchyFor(controller)
        .map(h -> new Bound<T>(h.unified() ? v2.get() : v1.get(), h));
  }

  private static Optional<Bound<ResourceController>> v1Only(
      CgroupLayout layout, String controller, ResourceController impl) {
    return layout.hierarchyFor(controller).filter(h -> !h.unified()).map(h -> new Bound<>(impl, h));
  }

  private static void add(
      List<Bound<ResourceController>> resources,
      List<ResourceController> unavailable,
      Optional<? extends Bound<? extends ResourceController>> bound,
      ResourceController fallbackForRequestCheck) {
    if (bound.isPresent()) {
      resources.add(widen(bound.get()));
    } else {
      unavailable.add(fallbackForRequestCheck);
    }
  }

  private static Bound<ResourceController> widen(Bound<? extends ResourceController> b) {
    return new Bound<>(b.impl(), b.hierarchy());
  }

  /**
   * Controllers to enable in cgroup2 parents' subtree_control for every container: the ones driven
   * through cgroup2, except those enabled only on request.
   */
  Set<String> drivenOnUnified() {
    Set<String> names = new LinkedHashSet<>();
    for (Bound<ResourceController> b : resources) {
      if (b.hierarchy().unified() && b.hierarchy().controllers().contains(b.impl().name())
          && !(b.impl() instanceof EnabledOnRequest)) {
        names.add(b.impl().name());
      }
    }
    return names;
  }
}
