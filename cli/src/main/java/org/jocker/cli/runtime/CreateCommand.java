package org.jocker.cli.runtime;

import java.nio.file.Path;
import org.jocker.runtime.CreateOptions;
import org.jocker.runtime.launch.Stdio;
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
  @Option(names = "--preserve-fds", description = "Must be 0: passing extra fds is not supported yet.") int preserveFds;

  @Override
  int execute() {
    if (preserveFds != 0) {
      throw new org.jocker.runtime.OciRuntimeException("--preserve-fds: passing extra descriptors is not supported");
    }
    ConsoleRule.check(runtime().loadSpec(bundle).process(), true, consoleSocket);
    // As runc: the container is left to our caller's subreaper (e.g. conmon) once started.
    runtime().create(id, bundle, new CreateOptions(consoleSocket, pidFile, Stdio.INHERIT, true));
    return 0;
  }
}
