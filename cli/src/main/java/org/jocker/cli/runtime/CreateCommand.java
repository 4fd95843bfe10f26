package org.jocker.cli.runtime;

import java.nio.file.Path;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.spec.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a container from a bundle; `start` runs its process.")
final class CreateCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Option(names = {"-b", "--bundle"}, description = "Bundle directory (default: current).") Path bundle = Path.of(".");
  @Option(names = "--console-socket", description = "Unix socket to receive the pty master.") String consoleSocket;
  @Option(names = "--pid-file", description = "Write the container's pid here.") Path pidFile;
  @Option(names = {"--no-pivot", "--no-new-keyring"}, description = "Accepted for runc compatibility.") boolean ignored;
  @Option(names = "--preserve-fds", paramLabel = "N", description = "Pass our descriptors 3 to 3+N-1 to the container.")
  int preserveFds;

  @Override
  int execute() {
    Path bundle = callers(this.bundle);
    Spec spec = runtime().loadSpec(bundle);
    ConsoleRule.check(spec.process(), true, consoleSocket);
    // As runc: the container is left to our caller's subreaper (e.g. conmon) once started.
    runtime().create(id, bundle, spec, new CreateOptions(callers(consoleSocket), callers(pidFile),
        PreservedFds.stdio(preserveFds), true));
    return 0;
  }
}
