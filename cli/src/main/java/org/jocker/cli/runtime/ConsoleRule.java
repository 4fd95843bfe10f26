package org.jocker.cli.runtime;

import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.spec.Spec;

/**
 * runc's rule for a process with a terminal and no --console-socket: the runtime relays it to the
 * caller's terminal, which a command that does not wait for the process (create, run -d, exec -d)
 * cannot do.
 */
final class ConsoleRule {
  private ConsoleRule() {}

  static void check(Spec.Process process, boolean detach, String consoleSocket) {
    if (process != null && process.isTerminal() && detach && consoleSocket == null) {
      throw new OciRuntimeException("cannot allocate tty if runc will detach without setting console socket");
    }
  }
}
