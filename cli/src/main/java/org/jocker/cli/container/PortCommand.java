package org.jocker.cli.container;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `port`: containers have no published ports until networking exists, so nothing is printed. */
@Command(name = "port", description = "List port mappings of a container (none until networking exists).")
public final class PortCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]") String port;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      jocker.engine().operations().find(container);
      if (port != null) {
        System.err.println("Error: No public port '" + (port.contains("/") ? port : port + "/tcp")
            + "' published for " + container);
        return 1;
      }
      return 0;
    });
  }
}
