package org.jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.linux.Rlimit;
import org.jocker.runtime.plan.SpecValidator;

/** This process's rlimit ceiling: its hard limits, unless it holds CAP_SYS_RESOURCE. */
final class HostRlimits implements SpecValidator.RlimitCeiling {
  private static final int CAP_SYS_RESOURCE = 24;
  private final Kernel kernel;

  HostRlimits(Kernel kernel) {
    this.kernel = kernel;
  }

  @Override
  public long hardLimit(Rlimit r) {
    return kernel.hardRlimit(r.resource());
  }

  @Override
  public boolean canRaise() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          long eff = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (eff & (1L << CAP_SYS_RESOURCE)) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through: assume we cannot
    }
    return false;
  }
}
