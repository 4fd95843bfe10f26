package org.jocker.cli.network;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "disconnect", description = "Disconnect a container from a network.")
public final class NetworkDisconnectCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Parameters(index = "0", paramLabel = "NETWORK") String network;
  @Parameters(index = "1", paramLabel = "CONTAINER") String container;
  @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network.") boolean force;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, EngineErrors.Style.DAEMON_RESPONSE, () -> {
      jocker.engine().networkConnections().disconnect(network, container, force);
      return 0;
    });
  }
}
