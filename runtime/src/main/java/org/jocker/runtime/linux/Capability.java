package org.jocker.runtime.linux;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Linux capabilities, in kernel bit order (CAP_CHOWN is bit 0). */
public enum Capability {
  CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_KILL, CAP_SETGID,
  CAP_SETUID, CAP_SETPCAP, CAP_LINUX_IMMUTABLE, CAP_NET_BIND_SERVICE, CAP_NET_BROADCAST,
  CAP_NET_ADMIN, CAP_NET_RAW, CAP_IPC_LOCK, CAP_IPC_OWNER, CAP_SYS_MODULE, CAP_SYS_RAWIO,
  CAP_SYS_CHROOT, CAP_SYS_PTRACE, CAP_SYS_PACCT, CAP_SYS_ADMIN, CAP_SYS_BOOT, CAP_SYS_NICE,
  CAP_SYS_RESOURCE, CAP_SYS_TIME, CAP_SYS_TTY_CONFIG, CAP_MKNOD, CAP_LEASE, CAP_AUDIT_WRITE,
  CAP_AUDIT_CONTROL, CAP_SETFCAP, CAP_MAC_OVERRIDE, CAP_MAC_ADMIN, CAP_SYSLOG, CAP_WAKE_ALARM,
  CAP_BLOCK_SUSPEND, CAP_AUDIT_READ, CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE;

  public long bit() {
    return 1L << ordinal();
  }

  /** Accepts "CAP_NET_ADMIN", "NET_ADMIN" and any case, as Docker does. */
  public static Optional<Capability> parse(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (!n.startsWith("CAP_")) {
      n = "CAP_" + n;
    }
    try {
      return Optional.of(valueOf(n));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static long mask(Collection<Capability> caps) {
    long m = 0;
    for (Capability c : caps) {
      m |= c.bit();
    }
    return m;
  }
}
