package org.jocker.runtime.cgroup;

import java.util.List;
import org.jocker.runtime.spec.Spec;

/**
 * OCI linux.resources.network.priorities: one "interface priority" line per entry written to
 * net_prio.ifpriomap (v1 only). The kernel looks interfaces up in the host's network namespace.
 */
final class V1NetPrio implements ResourceController {
  private static final long MAX_PRIORITY = 0xFFFF_FFFFL;

  @Override
  public String name() {
    return "net_prio";
  }

  @Override
  public String field() {
    return "linux.resources.network.priorities";
  }

  @Override
  public boolean requested(Spec.Resources r) {
    return r.network() != null && r.network().priorities() != null && !r.network().priorities().isEmpty();
  }

  @Override
  public void apply(CgroupDir dir, Spec.Resources r) {
    if (!requested(r)) {
      return;
    }
    List<Spec.InterfacePriority> priorities = r.network().priorities();
    for (Spec.InterfacePriority p : priorities) {
      // the kernel splits the line at white space: a name holding some would set another interface
      if (p.name() == null || p.name().isEmpty() || p.name().matches(".*\\s.*")) {
        throw new CgroupException("cgroup net_prio: " + field() + ": interface name \"" + p.name()
            + "\" is empty or has white space");
      }
      if (p.priority() < 0 || p.priority() > MAX_PRIORITY) {
        throw new CgroupException("cgroup net_prio: " + field() + ": priority " + p.priority()
            + " of " + p.name() + " is not a 32-bit number");
      }
    }
    for (Spec.InterfacePriority p : priorities) {
      // one pair per write(2): the kernel parses a single "name priority" line per write
      dir.write("net_prio.ifpriomap", p.name() + " " + p.priority());
    }
  }
}
