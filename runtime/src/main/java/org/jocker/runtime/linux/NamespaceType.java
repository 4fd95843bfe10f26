package org.jocker.runtime.linux;

import java.util.Optional;

/** Namespace types as the OCI spec names them, with their CLONE_NEW* flag and /proc/PID/ns name. */
public enum NamespaceType {
  PID("pid", 0x20000000L, "pid"),
  NETWORK("network", 0x40000000L, "net"),
  MOUNT("mount", 0x00020000L, "mnt"),
  IPC("ipc", 0x08000000L, "ipc"),
  UTS("uts", 0x04000000L, "uts"),
  USER("user", 0x10000000L, "user"),
  CGROUP("cgroup", 0x02000000L, "cgroup"),
  TIME("time", 0x00000080L, "time");

  private final String specName;
  private final long cloneFlag;
  private final String procName;

  NamespaceType(String specName, long cloneFlag, String procName) {
    this.specName = specName;
    this.cloneFlag = cloneFlag;
    this.procName = procName;
  }

  public String specName() {
    return specName;
  }

  public long cloneFlag() {
    return cloneFlag;
  }

  /** The name under /proc/PID/ns/. */
  public String procName() {
    return procName;
  }

  public static Optional<NamespaceType> fromSpecName(String name) {
    for (NamespaceType t : values()) {
      if (t.specName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
