package org.jocker.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.spec.Spec;

/**
 * The systemd cgroup driver: the container's cgroup is a transient scope unit that systemd makes
 * (StartTransientUnit) with the init as its first process, delegation on, and the limits systemd
 * has properties for; the cgroup files are then driven as with cgroupfs (the remaining limits,
 * freeze, stats, kill), through the scope's directories. A scope can only be made with a process
 * in it, so it is made in {@link #attach}, once the launcher has cloned the init and before the
 * init runs; the monitor gets a scope of its own there too. Delete stops the unit.
 */
final class SystemdCgroupManager implements CgroupManager {
  private static final long WAIT_NANOS = 30_000_000_000L; // the emulated test VM is that slow

  private final SystemdScope scope;
  private final CgroupLayout layout;
  private final CgroupfsManager files;
  private final SystemdBus bus;
  /** The limits create-time apply() received, sent as the scope's properties once it is made. */
  private Spec.Resources pending;

  SystemdCgroupManager(SystemdScope scope, CgroupLayout layout, SystemdBus bus) {
    this.scope = scope;
    this.layout = layout;
    this.files = new CgroupfsManager(Controllers.select(layout), scope.cgroupPath());
    this.bus = bus;
  }

  @Override
  public boolean madeWithFirstProcess() {
    return true;
  }

  @Override
  public void create() {
    SystemdBus.checkRunning();
    // Nothing else yet: a scope cannot exist without a process (see attach).
  }

  @Override
  public void apply(Spec.Resources resources) {
    if (!exists()) {
      pending = resources;
      return;
    }
    if (resources != null) {
      List<SystemdManagerBus.UnitProperty> limits = ScopeProperties.limits(unified(), resources);
      if (!limits.isEmpty()) {
        bus.setUnitProperties(scope.unit(), limits);
      }
    }
    files.apply(resources);
  }

  @Override
  public void attach(long initPid, long monitorPid) {
    bus.startTransientUnit(scope.unit(), ScopeProperties.forNewScope(scope.slice(),
        "jocker container " + scope.name(), initPid, unified(), pending));
    awaitIn(initPid, scope.unit());
    // The hierarchies systemd does not manage on a v1 host, and the nested controllers on v2.
    files.create();
    files.apply(pending);
    if (monitorPid > 0) {
      bus.startTransientUnit(scope.monitorUnit(), ScopeProperties.forMonitor(scope.slice(),
          "jocker monitor of " + scope.name(), monitorPid));
      awaitIn(monitorPid, scope.monitorUnit());
    }
  }

  /** StartTransientUnit only queues the job: wait until systemd has moved the process. */
  static void awaitIn(long pid, String unit) {
    long deadline = System.nanoTime() + WAIT_NANOS;
    Path procCgroup = Path.of("/proc/" + pid + "/cgroup");
    for (int i = 0; ; i++) {
      try {
        for (String line : Files.readAllLines(procCgroup)) {
          if (line.endsWith("/" + unit)) {
            return;
          }
        }
      } catch (IOException e) {
        throw new CgroupException("cgroup: process " + pid + " ended before systemd put it in " + unit, e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new CgroupException("cgroup: systemd did not put process " + pid + " in " + unit
            + " within " + WAIT_NANOS / 1_000_000_000L + " s");
      }
      Sleep.millis(i < 50 ? 1 : 20);
    }
  }

  private boolean unified() {
    return layout.hierarchies().stream().allMatch(Hierarchy::unified);
  }

  /** Whether the scope's cgroup is there (it is from attach until the scope stops). */
  private boolean exists() {
    return files.directories().values().stream().anyMatch(Files::isDirectory);
  }

  @Override
  public Map<Hierarchy, Path> directories() {
    return files.directories();
  }

  @Override
  public List<Path> procsFiles() {
    return files.procsFiles();
  }

  @Override
  public void addProcess(long pid) {
    files.addProcess(pid);
  }

  @Override
  public void freeze() {
    files.freeze();
  }

  @Override
  public void thaw() {
    files.thaw();
  }

  @Override
  public boolean isFrozen() {
    return exists() && files.isFrozen();
  }

  /** Zero once the scope has gone (systemd removes it with its last process). */
  @Override
  public CgroupStats stats() {
    return exists() ? files.stats()
        : new CgroupStats(CgroupStats.Memory.NONE, CgroupStats.Cpu.NONE, CgroupStats.Pids.NONE, 0,
            CgroupStats.BlockIo.NONE, java.util.Map.of());
  }

  @Override
  public List<Long> pids() {
    return files.pids();
  }

  @Override
  public long oomKillCount() {
    return files.oomKillCount();
  }

  @Override
  public void killAll() {
    files.killAll();
  }

  /** Kills what is left, stops the unit (systemd removes its cgroup), then any v1 leftovers. */
  @Override
  public void destroy() {
    files.killAll();
    bus.stopAndForget(scope.unit());
    Path unifiedDir = layout.unified().map(scope.cgroupPath()::leafIn).orElse(null);
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (unifiedDir != null && Files.isDirectory(unifiedDir) && System.nanoTime() - deadline < 0) {
      Sleep.millis(10);
    }
    files.destroy();
  }
}
