package org.jocker.runtime;

import java.nio.file.Path;
import org.jocker.runtime.launch.Stdio;

/**
 * Options of `create` besides the id and bundle.
 *
 * @param consoleSocket unix socket to receive the pty master when process.terminal is true
 * @param pidFile file to write the init's pid to, or null
 * @param stdio the container's standard descriptors
 * @param handoff leave the container to the caller's subreaper after start, as runc does, instead
 *     of keeping a monitor that records its exit
 */
public record CreateOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean handoff) {
  public static final CreateOptions DEFAULT = new CreateOptions(null, null, Stdio.INHERIT, false);
}
