package org.jocker.engine.lifecycle;

import java.nio.file.Path;
import org.jocker.engine.container.ContainerRecord;
import org.jocker.engine.container.HostConfig;
import org.jocker.engine.spec.LogSettings;
import org.jocker.runtime.launch.LogConfig;

/**
 * The engine's log rotation for the containers that do not set their own (default 10 MB × 3), as
 * Docker's daemon-wide log-opts: recorded into a container at create, and the fallback at start and
 * `logs` for a container that has none recorded.
 */
public final class LogLimits {
  private long maxSize = 10_000_000L;
  private int maxFiles = 3;

  /** For the containers created from now on. */
  public void set(long maxSize, int maxFiles) {
    new LogConfig(Path.of("/"), maxSize, maxFiles); // validates
    this.maxSize = maxSize;
    this.maxFiles = maxFiles;
  }

  /** The container's given log config with the engine's limits where it sets none. */
  HostConfig.LogConfig withDefaults(HostConfig.LogConfig given) {
    return LogSettings.withDefaults(given, maxSize, maxFiles);
  }

  /** The container's log driver and limits (the engine's defaults for a container that has none recorded). */
  HostConfig.LogConfig of(ContainerRecord r) {
    HostConfig.LogConfig recorded = r.hostConfig().logConfig();
    return recorded != null ? recorded : withDefaults(null);
  }
}
