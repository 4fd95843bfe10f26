package org.jocker.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jocker.runtime.cgroup.CgroupLayout;
import org.jocker.runtime.cgroup.Cgroups;
import org.jocker.runtime.cgroup.Hierarchy;
import org.junit.jupiter.api.Assumptions;

/**
 * Where a container's cgroup files are on this host, whatever its layout (v1, hybrid or pure v2),
 * so that a kernel assertion holds on each: a controller is looked up in the hierarchy the runtime
 * drives it through ({@link CgroupLayout}), and a file is named by its v1 and its cgroup2 name.
 */
public final class CgroupFiles {
  /** The mount point of a container's "cgroup" mount (Docker's default spec). */
  public static final String INSIDE = "/sys/fs/cgroup";

  /** One controller's file, by its name on a v1 hierarchy and on cgroup2 (null: none there). */
  public record File(String controller, String v1, String v2) {
    public static File procs(String controller) {
      return new File(controller, "cgroup.procs", "cgroup.procs");
    }
  }

  public static final File MEMORY_LIMIT = new File("memory", "memory.limit_in_bytes", "memory.max");
  public static final File MEMORY_RESERVATION = new File("memory", "memory.soft_limit_in_bytes", "memory.low");
  /** v1 memory+swap; cgroup2 swap alone. */
  public static final File MEMORY_SWAP = new File("memory", "memory.memsw.limit_in_bytes", "memory.swap.max");
  public static final File CPU_SHARES = new File("cpu", "cpu.shares", "cpu.weight");
  /** cgroup2 has quota and period in one file, cpu.max ("QUOTA PERIOD"). */
  public static final File CPU_QUOTA = new File("cpu", "cpu.cfs_quota_us", "cpu.max");
  public static final File CPU_PERIOD = new File("cpu", "cpu.cfs_period_us", "cpu.max");
  public static final File CPUSET_CPUS = new File("cpuset", "cpuset.cpus", "cpuset.cpus");
  public static final File PIDS_MAX = new File("pids", "pids.max", "pids.max");
  public static final File PIDS_CURRENT = new File("pids", "pids.current", "pids.current");
  public static final File FREEZER_STATE = new File("freezer", "freezer.state", "cgroup.freeze");
  public static final File HUGETLB_2MB_LIMIT = new File("hugetlb", "hugetlb.2MB.limit_in_bytes", "hugetlb.2MB.max");
  /** The limit on reservations (Linux 5.7+). */
  public static final File HUGETLB_2MB_RSVD_LIMIT =
      new File("hugetlb", "hugetlb.2MB.rsvd.limit_in_bytes", "hugetlb.2MB.rsvd.max");
  /** net_cls and net_prio are v1 only: cgroup2 has neither. */
  public static final File NET_CLS_CLASSID = new File("net_cls", "net_cls.classid", null);
  public static final File NET_PRIO_IFPRIOMAP = new File("net_prio", "net_prio.ifpriomap", null);

  private final CgroupLayout layout;
  /** The hierarchies a container joins here, in the runtime's order. */
  private final List<Hierarchy> joined;

  public CgroupFiles() {
    this(CgroupLayout.detect());
  }

  public CgroupFiles(CgroupLayout layout) {
    this.layout = layout;
    this.joined = List.copyOf(Cgroups.forContainer(layout, null, "any").directories().keySet());
  }

  /** The hierarchy the runtime drives the controller through, if the host has it. */
  public Optional<Hierarchy> find(String controller) {
    return controller.equals("freezer")
        // freezing is built into cgroup2 (no controller to list), as the runtime's Controllers has it
        ? layout.hierarchyFor("freezer").filter(v1 -> !v1.unified()).or(layout::unified)
        : layout.hierarchyFor(controller);
  }

  /** The hierarchy the runtime drives the controller through; skips the test if the host lacks it. */
  public Hierarchy hierarchy(String controller) {
    Optional<Hierarchy> h = find(controller);
    Assumptions.assumeTrue(h.isPresent(), "this host has no " + controller + " cgroup controller");
    return h.get();
  }

  public boolean onV2(String controller) {
    return hierarchy(controller).unified();
  }

  /** The file's name where its controller is; skips the test if it has none there. */
  public String name(File f) {
    String name = onV2(f.controller()) ? f.v2() : f.v1();
    Assumptions.assumeTrue(name != null, "no " + f.v1() + " on cgroup2");
    return name;
  }

  /** The value expected in the file: as written on v1, or on cgroup2. */
  public String pick(File f, String v1Value, String v2Value) {
    return onV2(f.controller()) ? v2Value : v1Value;
  }

  /**
   * The file's path inside a container with a cgroup mount: its own cgroup2 directory at
   * /sys/fs/cgroup when that is all it joins, else one directory per hierarchy, by its name.
   */
  public String inside(File f) {
    return insideDir(f.controller()) + "/" + name(f);
  }

  /** The controller's directory inside a container with a cgroup mount. */
  public String insideDir(String controller) {
    return pureV2() ? INSIDE : INSIDE + "/" + hierarchy(controller).name();
  }

  private boolean pureV2() {
    return joined.size() == 1 && joined.get(0).unified();
  }

  /** What `ls /sys/fs/cgroup` shows in a container, at least. */
  public List<String> insideEntries() {
    return pureV2() ? List.of("cgroup.procs", "cgroup.controllers") : joined.stream().map(Hierarchy::name).toList();
  }

  /** The file of the runtime container {@code id} (default cgroupsPath /jocker/ID) on the host. */
  public Path onHost(String id, File f) {
    Hierarchy h = hierarchy(f.controller());
    Map<Hierarchy, Path> dirs = Cgroups.forContainer(layout, null, id).directories();
    return dirs.get(h).resolve(name(f));
  }

  /** The file of the cgroup the process is in, on the host. */
  public Path onHostOf(long pid, File f) {
    Hierarchy h = hierarchy(f.controller());
    String path = cgroupOf(pid, f.controller());
    String mounted = h.mountRoot().equals("/") ? path : path.substring(h.mountRoot().length());
    return h.mountPoint().resolve(mounted.substring(1)).resolve(name(f));
  }

  /** The cgroup of the process in the controller's hierarchy, from /proc/PID/cgroup. */
  public String cgroupOf(long pid, String controller) {
    try {
      return cgroupIn(Files.readString(Path.of("/proc/" + pid + "/cgroup")), controller);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The controller's hierarchy's line in /proc/PID/cgroup text ("ID:CONTROLLERS:PATH", cgroup2:
   * "0::PATH"); other lines are ignored, so a container's whole output may be given.
   */
  public String cgroupIn(String procCgroup, String controller) {
    Hierarchy h = hierarchy(controller);
    return procCgroup.lines()
        .map(l -> l.split(":", 3))
        .filter(p -> p.length == 3 && p[0].matches("\\d+"))
        .filter(p -> h.unified()
            ? p[0].equals("0") && p[1].isEmpty()
            : Stream.of(p[1].split(",")).toList().containsAll(h.controllers()))
        .map(p -> p[2])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + h.name() + " line in " + procCgroup));
  }

  /** Whether the kernel accounts swap (v1 memsw files, cgroup2 memory.swap.max); else unknown. */
  public Optional<Boolean> swapAccounting() {
    Hierarchy h = hierarchy("memory");
    if (!h.unified()) {
      return Optional.of(Files.exists(h.mountPoint().resolve(MEMORY_SWAP.v1())));
    }
    // cgroup2's root has no memory files: look at a child cgroup with the memory controller
    try (Stream<Path> children = Files.list(h.mountPoint())) {
      return children.filter(d -> Files.exists(d.resolve("memory.max"))).findFirst()
          .map(d -> Files.exists(d.resolve(MEMORY_SWAP.v2())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
