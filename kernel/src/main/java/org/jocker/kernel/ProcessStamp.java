package org.jocker.kernel;

import java.time.Instant;
import java.util.Optional;

/**
 * "pid-startmillis": names one lifetime of one process, for files a writer leaves behind only
 * when it dies. Whoever finds such a file can tell a dead writer's leftover (remove it) from a
 * live writer's work (keep it) without file locks, which in Java belong to the process and are
 * dropped by any close of the file. A reused pid belongs to a process that started at another
 * time, so it does not revive a dead writer.
 */
public final class ProcessStamp {
  private static final ProcessHandle SELF = ProcessHandle.current();
  private static final String CURRENT = of(SELF);

  private ProcessStamp() {}

  /** This process's stamp. */
  public static String current() {
    return CURRENT;
  }

  /** The stamp of {@code process}. */
  static String of(ProcessHandle process) {
    return process.pid() + "-" + startMillis(process);
  }

  /** True when {@code stamp} names a process that is no longer running, or is not a stamp. */
  public static boolean isGone(String stamp) {
    String[] parts = stamp.split("-");
    if (parts.length != 2) {
      return true;
    }
    try {
      long pid = Long.parseLong(parts[0]);
      long started = Long.parseLong(parts[1]);
      Optional<ProcessHandle> writer = ProcessHandle.of(pid);
      return writer.isEmpty() || startMillis(writer.get()) != started;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
