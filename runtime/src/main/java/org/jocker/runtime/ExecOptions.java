package org.jocker.runtime;

import java.util.List;
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
 * @param relayTerminal with process.terminal and no console socket, the monitor relays the pty to
 *     stdio (see {@link CreateOptions}) instead of giving an {@link ExecProcess#attachment()}
 * @param ignorePaused exec into a paused container too (runc's --ignore-paused): the process
 *     joins the frozen cgroup, so it starts (and the exec returns) only once the container resumes
 * @param subCgroups runc's {@code exec --cgroup} values, {@code [CONTROLLER[,CONTROLLER]:]PATH}:
 *     the process joins these existing sub-cgroups of the container's ({@link ExecSubCgroups})
 */
public record ExecOptions(String consoleSocket, Stdio stdio, boolean detach, boolean openStdin,
    boolean relayTerminal, boolean ignorePaused, List<String> subCgroups) {
  public ExecOptions(String consoleSocket, Stdio stdio, boolean detach) {
    this(consoleSocket, stdio, detach, false, false);
  }

  public ExecOptions(String consoleSocket, Stdio stdio, boolean detach, boolean openStdin) {
    this(consoleSocket, stdio, detach, openStdin, false);
  }

  public ExecOptions(String consoleSocket, Stdio stdio, boolean detach, boolean openStdin, boolean relayTerminal) {
    this(consoleSocket, stdio, detach, openStdin, relayTerminal, false, List.of());
  }

  public ExecOptions {
    subCgroups = subCgroups == null ? List.of() : List.copyOf(subCgroups);
    if (detach && relayTerminal) {
      throw new IllegalArgumentException("a relayed terminal needs the monitor: it cannot be detached");
    }
  }
}
