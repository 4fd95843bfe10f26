package org.jocker.cli.runtime;

import java.nio.file.Path;
import org.jocker.cli.session.Session;
import org.jocker.runtime.ContainerRuntime;
import org.jocker.runtime.CreateOptions;
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
    Path bundle = callers(this.bundle);
    Spec spec = rt.loadSpec(bundle);
    Spec.Process process = spec.process();
    ConsoleRule.check(process, detach, consoleSocket);
    // As runc: without a console socket the terminal is the caller's (the monitor relays it).
    boolean relay = !detach && consoleSocket == null && process != null && process.isTerminal();
    rt.create(id, bundle, spec, new CreateOptions(callers(consoleSocket), callers(pidFile), PreservedFds.stdio(preserveFds),
        detach, null, false, null, relay));
    // As runc: the caller's signals are for the container (SIGWINCH: a relayed terminal follows the
    // caller's window size), also when the resident engine serves this and the client got them.
    try (Session.Subscription _ = detach ? null : Session.current().onSignals(sig -> rt.forwardSignal(id, sig))) {
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
    }
  }
}
