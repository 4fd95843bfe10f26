package org.jocker.runtime;

import org.jocker.runtime.launch.Stdio;

/**
 * Options of `exec` besides the process.
 *
 * @param consoleSocket unix socket to receive the pty master when process.terminal is true
 * @param stdio the process's standard descriptors
 * @param detach do not keep a monitor: the process is left to the caller's subreaper once
 *     started, as with `runc exec -d`; otherwise {@link ContainerRuntime#awaitExec} gives its exit
 * @param openStdin the monitor keeps the process's stdin open for attach clients (see
 *     {@link CreateOptions}); with process.terminal and no console socket it holds the pty
 */
public record ExecOptions(String consoleSocket, Stdio stdio, boolean detach, boolean openStdin) {
  public ExecOptions(String consoleSocket, Stdio stdio, boolean detach) {
    this(consoleSocket, stdio, detach, false);
  }
}
