package org.jocker.runtime.linux;

import java.util.Optional;

/** Resource limits in kernel order (RLIMIT_CPU is 0). */
public enum Rlimit {
  RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS, RLIMIT_NPROC,
  RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS, RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE,
  RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME;

  public int resource() {
    return ordinal();
  }

  public static Optional<Rlimit> parse(String name) {
    try {
      return Optional.of(valueOf(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
