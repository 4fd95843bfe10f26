package org.jocker.runtime.cgroup;

import java.util.List;
import java.util.Optional;

/**
 * SIGKILLs every process of a container's cgroup, nested cgroups included, and waits until none is
 * left. cgroup2's cgroup.kill (Linux 5.14+) does it in one write that no fork can race. Without it
 * (older kernels, pure v1 hosts) each pid in cgroup.procs is killed with the cgroup frozen, so that
 * nothing forks between the listing and the signal, round after round until the cgroup is empty.
 * Either way a frozen cgroup is thawed afterwards: a v1-frozen task dies only once thawed.
 */
final class KillAll {
  private static final long WAIT_NANOS = 10_000_000_000L;
  /** Signals are sent again this often while processes remain (a fork may have slipped through). */
  private static final int RESEND_EVERY = 10;

  private final CgroupManager cgroup;
  /** The container's cgroup2 directory, if it has cgroup.kill. */
  private final Optional<CgroupDir> killFile;

  /**
   * @param unifiedLeaf the container's cgroup2 directory, if it joins one; it is used when the
   *     kernel provides cgroup.kill there
   */
  KillAll(CgroupManager cgroup, Optional<CgroupDir> unifiedLeaf) {
    this.cgroup = cgroup;
    this.killFile = unifiedLeaf.filter(d -> d.has("cgroup.kill"));
  }

  void run() {
    long self = ProcessHandle.current().pid();
    long deadline = System.nanoTime() + WAIT_NANOS;
    for (int round = 0; ; round++) {
      List<Long> all = cgroup.pids();
      // This JVM in the cgroup (a test may put it there) is left alone; removal then reports it.
      List<Long> pids = all.stream().filter(pid -> pid != self).toList();
      if (pids.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new CgroupException("cgroup: processes " + pids + " are still in the cgroup "
            + WAIT_NANOS / 1_000_000_000L + " s after SIGKILL");
      }
      if (round % RESEND_EVERY == 0) {
        signal(pids, all.size() > pids.size());
      }
      Sleep.millis(round < 10 ? 2 : 20);
    }
  }

  private void signal(List<Long> pids, boolean selfInside) {
    if (killFile.isPresent() && !selfInside) { // cgroup.kill or freezing would take this JVM too
      killFile.get().write("cgroup.kill", "1");
    } else {
      if (!selfInside) {
        bestEffort(cgroup::freeze);
      }
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    // Unconditionally: on cgroup2 a frozen cgroup reads "frozen 0" while its tasks die and "frozen 1"
    // again once it is empty, so what isFrozen() says now is no guide.
    bestEffort(cgroup::thaw);
  }

  /**
   * Freezing and thawing only help: a host without a freezer, a cgroup removed meanwhile or a
   * kernel that will not settle still gets the signals, and the wait above reports what is left.
   */
  private static void bestEffort(Runnable step) {
    try {
      step.run();
    } catch (CgroupException e) {
      // see above
    }
  }
}
