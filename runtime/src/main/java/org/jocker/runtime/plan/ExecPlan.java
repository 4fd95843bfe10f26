package org.jocker.runtime.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jocker.runtime.linux.NamespaceType;
import org.jocker.runtime.spec.Spec;

/**
 * The plan for a process that joins a running container (exec): it enters the namespaces and
 * cgroups of the container's init and gets its own process settings; the root filesystem is
 * already there. In a container without a mount namespace (it shares the host's), it enters the
 * init's root instead.
 *
 * @param containerPid the container's init, whose /proc/PID/ns/* are joined
 * @param namespaces the namespace types the container has of its own (created or joined)
 * @param openStdin the monitor keeps the process's stdin open for attach clients
 * @param relayTerminal a terminal without console socket is relayed to the caller's stdio
 * @param seccompListener where the filter's listener goes (SCMP_ACT_NOTIFY), or null
 */
public record ExecPlan(
    Spec.Process process,
    int containerPid,
    List<NamespaceType> namespaces,
    Map<String, Path> cgroupDirs,
    Path stateDir,
    byte[] seccompFilter,
    int seccompFlags,
    String consoleSocket,
    boolean handoff,
    boolean openStdin,
    boolean relayTerminal,
    SeccompListener seccompListener) {

  /** Without seccomp agent. */
  public ExecPlan(Spec.Process process, int containerPid, List<NamespaceType> namespaces,
      Map<String, Path> cgroupDirs, Path stateDir, byte[] seccompFilter, int seccompFlags, String consoleSocket,
      boolean handoff, boolean openStdin, boolean relayTerminal) {
    this(process, containerPid, namespaces, cgroupDirs, stateDir, seccompFilter, seccompFlags, consoleSocket,
        handoff, openStdin, relayTerminal, null);
  }

  public byte[] encode() {
    PlanWriter w = new PlanWriter();
    w.begin().u64(0).end(Tag.CLONE_FLAGS);
    for (NamespaceType type : namespaces) {
      w.begin().u64(type.cloneFlag()).str("/proc/" + containerPid + "/ns/" + type.procName()).end(Tag.JOIN_NS);
    }
    if (!namespaces.contains(NamespaceType.MOUNT)) {
      w.strings(Tag.CHROOT, "/proc/" + containerPid + "/root");
    }
    for (Path dir : cgroupDirs.values()) {
      w.strings(Tag.CGROUP_PROCS, dir.resolve("cgroup.procs").toString());
    }
    ProcessRecords.write(w, process, seccompFilter, seccompFlags, consoleSocket, relayTerminal);
    if (seccompListener != null) {
      seccompListener.write(w);
    }
    w.strings(Tag.STATE_DIR, stateDir.toString());
    w.begin().end(Tag.TENANT);
    if (handoff) {
      w.begin().end(Tag.HANDOFF);
    }
    if (openStdin) {
      w.begin().end(Tag.STDIN_OPEN);
    }
    return w.finish();
  }
}
