package org.jocker.runtime.cgroup;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;
import org.jocker.runtime.cgroup.SystemdManagerBus.UnitProperty;
import org.jocker.runtime.spec.Spec;

/**
 * linux.resources as systemd unit properties, for the limits systemd has a property for (as runc's
 * systemd driver sets them): systemd then keeps them across daemon-reload, which rewrites a unit's
 * cgroup files from its properties. The driver writes every limit to the cgroup files as well, so
 * those systemd has no property for (swappiness, hugetlb, devices, per-device I/O...) still apply.
 * Names differ between a pure cgroup2 host and a v1/hybrid one, where systemd drives v1 files.
 */
final class ScopeProperties {
  /** systemd's CPUQuotaPerSecUSec has a 10 ms granularity: a quota is rounded up to it. */
  private static final long QUOTA_STEP_USEC = 10_000;

  private final boolean unified;
  private final List<UnitProperty> list = new ArrayList<>();

  private ScopeProperties(boolean unified) {
    this.unified = unified;
  }

  /** What every container scope gets: its first process, delegation, and accounting on. */
  static List<UnitProperty> forNewScope(String slice, String description, long pid, boolean unified,
      Spec.Resources resources) {
    ScopeProperties p = new ScopeProperties(unified);
    p.add("Description", new Variant<>(description));
    p.add("Slice", new Variant<>(slice));
    p.add("PIDs", new Variant<>(List.of(new UInt32(pid)), "au"));
    // The runtime makes nested cgroups and writes control files itself: systemd must let it.
    p.add("Delegate", new Variant<>(true));
    // Not stopped early at shutdown nor ordered after other units, as runc's scopes.
    p.add("DefaultDependencies", new Variant<>(false));
    p.add("MemoryAccounting", new Variant<>(true));
    p.add("CPUAccounting", new Variant<>(true));
    p.add("TasksAccounting", new Variant<>(true));
    p.add(unified ? "IOAccounting" : "BlockIOAccounting", new Variant<>(true));
    if (resources == null || resources.pids() == null || resources.pids().limit() <= 0) {
      // Without a limit, as with cgroupfs: not systemd's DefaultTasksMax (15% of pid_max) for scopes.
      p.add("TasksMax", new Variant<>(new UInt64(UInt64.MAX_BIG_VALUE)));
    }
    p.addLimits(resources);
    return p.list;
  }

  /** A monitor's scope: just its process, so that it outlives whatever unit started it. */
  static List<UnitProperty> forMonitor(String slice, String description, long pid) {
    ScopeProperties p = new ScopeProperties(true);
    p.add("Description", new Variant<>(description));
    p.add("Slice", new Variant<>(slice));
    p.add("PIDs", new Variant<>(List.of(new UInt32(pid)), "au"));
    p.add("DefaultDependencies", new Variant<>(false));
    return p.list;
  }

  /** The limits alone, for `update` of a running container. */
  static List<UnitProperty> limits(boolean unified, Spec.Resources resources) {
    ScopeProperties p = new ScopeProperties(unified);
    p.addLimits(resources);
    return p.list;
  }

  private void addLimits(Spec.Resources r) {
    if (r == null) {
      return;
    }
    memory(r.memory());
    cpu(r.cpu());
    if (r.pids() != null && r.pids().limit() > 0) {
      add("TasksMax", u64(r.pids().limit()));
    }
    if (r.blockIO() != null && r.blockIO().weight() != null && r.blockIO().weight() > 0) {
      int w = r.blockIO().weight();
      // blkio's 10..1000 onto io's 1..10000, as runc converts it
      add(unified ? "IOWeight" : "BlockIOWeight", u64(unified ? 1 + (long) (w - 10) * 9999 / 990 : w));
    }
  }

  private void memory(Spec.Memory m) {
    if (m == null) {
      return;
    }
    if (m.limit() != null && m.limit() > 0) {
      add(unified ? "MemoryMax" : "MemoryLimit", u64(m.limit()));
    }
    if (unified && m.reservation() != null && m.reservation() > 0) {
      add("MemoryLow", u64(m.reservation()));
    }
    // OCI's swap is memory+swap; systemd's MemorySwapMax is the swap alone.
    if (unified && m.swap() != null && m.limit() != null && m.limit() > 0 && m.swap() >= m.limit()) {
      add("MemorySwapMax", u64(m.swap() - m.limit()));
    }
  }

  private void cpu(Spec.Cpu c) {
    if (c == null) {
      return;
    }
    if (c.shares() != null && c.shares() > 0) {
      // cpu.shares 2..262144 onto cpu.weight 1..10000, the kernel's and runc's conversion
      long shares = Math.clamp(c.shares(), 2, 262144);
      add(unified ? "CPUWeight" : "CPUShares", u64(unified ? 1 + (shares - 2) * 9999 / 262142 : shares));
    }
    if (c.quota() != null && c.quota() > 0) {
      long period = c.period() != null && c.period() > 0 ? c.period() : 100_000;
      long perSec = c.quota() * 1_000_000 / period;
      if (perSec % QUOTA_STEP_USEC != 0) {
        perSec = (perSec / QUOTA_STEP_USEC + 1) * QUOTA_STEP_USEC;
      }
      add("CPUQuotaPerSecUSec", u64(perSec));
      if (c.period() != null && c.period() > 0) {
        add("CPUQuotaPeriodUSec", u64(c.period()));
      }
    }
    if (unified && c.cpus() != null && !c.cpus().isBlank()) {
      add("AllowedCPUs", new Variant<>(CpuList.mask(c.cpus(), "linux.resources.cpu.cpus")));
    }
    if (unified && c.mems() != null && !c.mems().isBlank()) {
      add("AllowedMemoryNodes", new Variant<>(CpuList.mask(c.mems(), "linux.resources.cpu.mems")));
    }
  }

  private void add(String name, Variant<?> value) {
    list.add(new UnitProperty(name, value));
  }

  private static Variant<UInt64> u64(long v) {
    return new Variant<>(new UInt64(v));
  }

  /** A cpuset list ("0-3,5") as the byte mask systemd takes for AllowedCPUs (bit n of byte n/8). */
  static final class CpuList {
    private CpuList() {}

    static byte[] mask(String list, String field) {
      BitSet bits = new BitSet();
      for (String range : list.trim().split(",")) {
        String[] ends = range.trim().split("-", -1);
        try {
          int from = Integer.parseInt(ends[0].trim());
          int to = ends.length == 2 ? Integer.parseInt(ends[1].trim()) : from;
          if (ends.length > 2 || from < 0 || to < from || to > 65535) {
            throw new NumberFormatException(range);
          }
          bits.set(from, to + 1);
        } catch (NumberFormatException e) {
          throw new CgroupException("cgroup: " + field + " \"" + list + "\" is not a list like 0-3,5");
        }
      }
      return bits.toByteArray();
    }
  }
}
