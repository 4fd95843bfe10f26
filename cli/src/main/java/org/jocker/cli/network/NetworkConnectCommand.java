package org.jocker.cli.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.container.EndpointConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "connect", description = "Connect a container to a network.")
public final class NetworkConnectCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Parameters(index = "0", paramLabel = "NETWORK") String network;
  @Parameters(index = "1", paramLabel = "CONTAINER") String container;
  @Option(names = "--alias", paramLabel = "ALIAS", description = "Add a network-scoped alias for the container.")
  List<String> aliases = new ArrayList<>();
  @Option(names = "--ip", paramLabel = "IPv4", description = "IPv4 address (e.g., 172.30.100.104).") String ip;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      jocker.engine().networkConnections().connect(network, container, new EndpointConfig(aliases, ip));
      return 0;
    });
  }
}
