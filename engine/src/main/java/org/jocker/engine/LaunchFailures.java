package org.jocker.engine;

/** Docker's exit codes for a container whose command could not be started. */
final class LaunchFailures {
  private LaunchFailures() {}

  static int exitCode(String launcherMessage) {
    if (launcherMessage.contains("executable file not found") || launcherMessage.contains("No such file or directory")) {
      return 127;
    }
    if (launcherMessage.startsWith("exec:") || launcherMessage.contains("Permission denied")) {
      return 126;
    }
    return 125;
  }
}
