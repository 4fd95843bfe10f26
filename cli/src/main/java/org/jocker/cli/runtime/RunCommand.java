package org.jocker.cli.runtime;

import java.nio.file.Path;
import org.jocker.cli.session.Session;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.linux.Signal;
import org.jocker.runtime.spec.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Create and start a container; without -d, wait for it, remove it (unless --keep) and exit with its code.")
final class RunCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = {"-b", "--bundle"}, description = "Bundle directory (default: current).") Path bundle = Path.of(".");
  @Option(names = "--console-socket", description = "Unix socket to receive the pty master.") String consoleSocket;
  @Option(names = "--pid-file", description = "Write the container's pid here.") Path pidFile;
  @Option(names = {"-d", "--detach"}, description = "Do not wait for the container.") boolean detach;
  @Option(names = {"--no-pivot", "--no-new-keyring"}, description = "Accepted for runc compatibility.") boolean ignored;
  @Option(names = "--keep", description = "Keep the container (stopped) after it exits.") boolean keep;
  @Option(names = "--preserve-fds", paramLabel = "N", description = "Pass our descriptors 3 to 3+N-1 to the container.")
  int preserveFds;

  @Override
  int execute() {
    ContainerRuntime rt = runtime();
    Spec.Process process = rt.loadSpec(bundle).process();
    ConsoleRule.check(process, detach, consoleSocket);
    // As runc: without a console socket the terminal is the caller's (the monitor relays it).
    boolean relay = !detach && consoleSocket == null && process != null && process.isTerminal();
    rt.create(id, bundle, new CreateOptions(consoleSocket, pidFile, PreservedFds.stdio(preserveFds), detach, null, false,
        null, relay));
    Thread forward = forwardSignals(rt);
    // Our terminal's signals are for the container's (SIGWINCH: the relay follows our window size).
    try (Session.Subscription _ = relay ? Session.current().onSignals(sig -> rt.forwardSignal(id, sig)) : null) {
      rt.start(id);
      if (detach) {
        return 0;
      }
      int code = rt.awaitExit(id).code();
      if (!keep) {
        rt.delete(id, true);
      }
      return code;
    } catch (RuntimeException e) {
      if (!detach && !keep) {
        rt.delete(id, true);
      }
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(forward);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running
      }
    }
  }

  /** Ctrl-C and `kill` of this command reach the container, as with runc run. */
  private Thread forwardSignals(ContainerRuntime rt) {
    Thread hook = new Thread(() -> {
      try {
        rt.kill(id, Signal.SIGTERM.number(), false);
      } catch (RuntimeException e) {
        // already gone
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }
}
