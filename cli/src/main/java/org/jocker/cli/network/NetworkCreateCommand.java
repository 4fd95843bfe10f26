package org.jocker.cli.network;

import java.util.concurrent.Callable;
import org.jocker.cli.EngineErrors;
import org.jocker.cli.JockerCommand;
import org.jocker.engine.EngineException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "create", description = "Create a network.")
public final class NetworkCreateCommand implements Callable<Integer> {
  @ParentCommand NetworkCommand group;
  @Parameters(index = "0", paramLabel = "NETWORK") String name;
  @Option(names = {"-d", "--driver"}, description = "Driver to manage the network (only bridge).")
  String driver = "bridge";
  @Option(names = "--subnet", description = "Subnet in CIDR format (default: a free one of Docker's pools).")
  String subnet;
  @Option(names = "--gateway", description = "IPv4 gateway of the subnet (default: its first address).") String gateway;

  @Override
  public Integer call() {
    JockerCommand jocker = group.jocker();
    return EngineErrors.handled(jocker, () -> {
      if (!driver.equals("bridge")) {
        throw EngineException.notFound("plugin \"" + driver + "\" not found");
      }
      System.out.println(jocker.engine().networking().networks().create(name, subnet, gateway).id());
      return 0;
    });
  }
}
