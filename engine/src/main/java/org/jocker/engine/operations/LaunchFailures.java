package org.jocker.engine.operations;

import org.jocker.engine.EngineException;
import org.jocker.runtime.launch.LaunchException;

/** What kind of failure a container's process that could not be started is (Docker's 127, 126, or 125). */
public final class LaunchFailures {
  private LaunchFailures() {}

  static EngineException.Kind kind(String launcherMessage) {
    if (launcherMessage.contains("executable file not found") || launcherMessage.contains("No such file or directory")) {
      return EngineException.Kind.COMMAND_NOT_FOUND;
    }
    if (launcherMessage.startsWith("exec:") || launcherMessage.contains("Permission denied")) {
      return EngineException.Kind.CANNOT_INVOKE;
    }
    return EngineException.Kind.START_FAILED;
  }

  public static EngineException error(LaunchException e) {
    return EngineException.of(kind(e.getMessage()), e, e.getMessage());
  }
}
