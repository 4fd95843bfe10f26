package org.jocker.runtime.plan;

/**
 * Where the monitor sends the listener of a filter with SCMP_ACT_NOTIFY rules, and the
 * ContainerProcessState JSON it sends with it (runtime-spec config-linux.md, "seccomp"). Only the
 * monitor knows the process's pid, so the JSON comes in pieces it completes.
 *
 * @param path the seccomp agent's unix socket (a host path; "@name" is an abstract one)
 * @param metadataJson linux.seccomp.listenerMetadata as a JSON string literal, "" to leave it out
 * @param stateOpen the container's state object without its pid and closing brace
 * @param statePid the state's pid: 0 for the process's own (a container's init), else the
 *     container's init (for a process exec'd into it)
 */
public record SeccompListener(String path, String metadataJson, String stateOpen, long statePid) {

  void write(PlanWriter w) {
    w.begin().u64(statePid).str(path).str(metadataJson).str(stateOpen).end(Tag.SECCOMP_LISTENER);
  }
}
