package org.jocker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocker.runtime.kernel.Kernel;
import org.jocker.runtime.launch.LauncherParent;
import org.jocker.runtime.linux.Rlimit;
import org.jocker.runtime.plan.SpecValidator;

/**
 * The rlimit ceiling of the launcher's parent, whose limits the container's init inherits: its hard
 * limits, unless it holds CAP_SYS_RESOURCE.
 */
final class HostRlimits implements SpecValidator.RlimitCeiling {
  private static final int CAP_SYS_RESOURCE = 24;
  private final Kernel kernel;
  private final LauncherParent parent;

  HostRlimits(Kernel kernel, LauncherParent parent) {
    this.kernel = kernel;
    this.parent = parent;
  }

  @Override
  public long hardLimit(Rlimit r) {
    return kernel.hardRlimit(parent.pid(), r.resource());
  }

  @Override
  public boolean canRaise() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + parent.pid() + "/status"))) {
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
