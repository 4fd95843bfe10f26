package org.jocker.cli.runtime;

import org.jocker.runtime.OciRuntimeException;
import org.jocker.runtime.linux.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", description = "Send a signal (default SIGTERM) to a container's process.")
final class KillCommand extends RuntimeVerb {
  @Parameters(index = "0", paramLabel = "ID") String id;
  @Parameters(index = "1", paramLabel = "SIGNAL", defaultValue = "SIGTERM") String signal;
  @Option(names = {"-a", "--all"}, description = "Signal every process of the container.") boolean all;

  @Override
  int execute() {
    // 0, kill(2)'s null signal, only checks that the init is there (as runc passes it on).
    int sig = signal.equals("0") ? 0
        : Signal.parse(signal).orElseThrow(() -> new OciRuntimeException("unknown signal \"" + signal + "\""));
    runtime().kill(id, sig, all);
    return 0;
  }
}
