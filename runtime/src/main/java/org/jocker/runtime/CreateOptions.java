package org.jocker.runtime;

import java.nio.file.Path;
import java.util.List;
import org.jocker.runtime.launch.LogConfig;
import org.jocker.runtime.launch.Stdio;

/**
 * Options of `create` besides the id and bundle.
 *
 * @param consoleSocket unix socket to receive the pty master when process.terminal is true
 * @param pidFile file to write the init's pid to, or null
 * @param stdio the container's standard descriptors
 * @param handoff leave the container to the caller's subreaper after start, as runc does, instead
 *     of keeping a monitor that records its exit
 * @param log the monitor writes stdout and stderr to this json-file log (then stdio's out and err
 *     are not used), or null; the engine's option, never runc's
 * @param openStdin the monitor keeps the container's stdin open and feeds it what attach clients
 *     send (stdio's in is not used). With process.terminal and no console socket, the monitor holds
 *     the pty in any case: attach clients get its output and feed its input.
 * @param exitCommand argv (an absolute path first) the monitor runs, detached, after it has recorded
 *     the exit (podman's conmon --exit-command; the engine's restart policies and --rm); empty for none
 * @param relayTerminal with process.terminal and no console socket, the monitor also relays the pty
 *     to stdio, with stdio's terminal (or the caller's controlling one) in raw mode and its window
 *     size until the container ends, as runc's foreground run does; signals the caller gets go to
 *     {@link ContainerRuntime#forwardSignal(String, int)}
 * @param killUnread stdio's out is a pipe whose read end only the caller holds, until the container
 *     has ended: the monitor kills the container if that end closes before (the caller died), as a
 *     build's RUN has no reason to outlive its build; the engine's option, never runc's
 */
public record CreateOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean handoff, LogConfig log,
    boolean openStdin, List<String> exitCommand, boolean relayTerminal, boolean killUnread) {
  public static final CreateOptions DEFAULT = new CreateOptions(null, null, Stdio.INHERIT, false);

  public CreateOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean handoff) {
    this(consoleSocket, pidFile, stdio, handoff, null, false, null, false);
  }

  public CreateOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean handoff, LogConfig log) {
    this(consoleSocket, pidFile, stdio, handoff, log, false, null, false);
  }

  public CreateOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean handoff, LogConfig log,
      boolean openStdin, List<String> exitCommand) {
    this(consoleSocket, pidFile, stdio, handoff, log, openStdin, exitCommand, false);
  }

  public CreateOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean handoff, LogConfig log,
      boolean openStdin, List<String> exitCommand, boolean relayTerminal) {
    this(consoleSocket, pidFile, stdio, handoff, log, openStdin, exitCommand, relayTerminal, false);
  }

  public CreateOptions {
    exitCommand = exitCommand == null ? List.of() : List.copyOf(exitCommand);
    if (handoff && (log != null || openStdin || !exitCommand.isEmpty() || relayTerminal || killUnread)) {
      throw new IllegalArgumentException("a log, an open stdin, an exit command, a relayed terminal or a kill"
          + " when unread needs the monitor: it cannot be handed off");
    }
    if (killUnread && (log != null || stdio == null || stdio.out() < 0)) {
      throw new IllegalArgumentException("a kill when unread needs stdout to be the caller's pipe");
    }
    if (!exitCommand.isEmpty() && !exitCommand.get(0).startsWith("/")) {
      throw new IllegalArgumentException("the exit command must start with an absolute path: " + exitCommand);
    }
  }
}
