package org.jocker.cli.container;

import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.network.PublishedPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `port`: the ports a running container publishes, as Docker lists them. */
@Command(name = "port", description = "List port mappings or a specific mapping for the container.")
public final class PortCommand implements Callable<Integer> {
  @ParentCommand Object parent;
  @Parameters(index = "0", paramLabel = "CONTAINER") String container;
  @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]") String port;

  @Override
  public Integer call() {
    JockerCommand jocker = JockerCommand.of(parent);
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      List<PublishedPort> ports = jocker.engine().ports(container);
      if (port == null) {
        for (PublishedPort p : ports) {
          System.out.println(p.portKey() + " -> " + p.shownHostIp() + ":" + p.hostPort());
        }
        return 0;
      }
      String key = port.contains("/") ? port : port + "/tcp";
      List<PublishedPort> matching = ports.stream().filter(p -> p.portKey().equals(key)).toList();
      if (matching.isEmpty()) {
        System.err.println("Error: No public port '" + key + "' published for " + container);
        return 1;
      }
      matching.forEach(p -> System.out.println(p.shownHostIp() + ":" + p.hostPort()));
      return 0;
    });
  }
}
